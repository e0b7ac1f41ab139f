import { expect } from 'chai';
import { formatTable } from '../../../lib/table';

describe('scripts: plain-text tables', () => {
  it('aligns columns, numbers to the right', () => {
    expect(
      formatTable(
        ['id', 'amount'],
        [
          ['a', 5],
          ['bbb', -1000],
        ],
      ),
    ).to.equal(['id   amount', '---  ------', 'a         5', 'bbb   -1000'].join('\n'));
  });

  it('leaves absent cells blank and aligns text, booleans and mixed columns to the left', () => {
    expect(
      formatTable(
        ['name', 'last4', 'ok'],
        [
          ['card', undefined, true],
          ['x', '4242', false],
        ],
      ),
    ).to.equal(['name  last4  ok', '----  -----  -----', 'card         true', 'x     4242   false'].join('\n'));
  });
});
