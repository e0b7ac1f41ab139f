import { expect } from 'chai';
import { RecentEventIds } from '../../../authorizer/replay';

describe('authorizer RecentEventIds', () => {
  it('refuses an id seen within the retention window and accepts it again after', () => {
    const ids = new RecentEventIds(1000);
    expect(ids.remember('evt_1', 0)).to.equal(true);
    expect(ids.remember('evt_1', 999)).to.equal(false);
    expect(ids.remember('evt_1', 1000)).to.equal(true);
  });

  it('stays bounded, forgetting the oldest ids first', () => {
    const ids = new RecentEventIds(60_000, 3);
    for (const id of ['a', 'b', 'c', 'd']) expect(ids.remember(id, 0)).to.equal(true);
    expect(ids.size).to.equal(3);
    expect(ids.remember('a', 1)).to.equal(true);
    expect(ids.remember('d', 1)).to.equal(false);
  });

  it('drops expired ids so memory follows traffic', () => {
    const ids = new RecentEventIds(100);
    for (let i = 0; i < 50; i += 1) ids.remember(`evt_${i}`, i);
    ids.remember('evt_late', 500);
    expect(ids.size).to.equal(1);
  });
});
