import { packByWeight } from '../../../src/core/pack-by-weight';

describe('packByWeight', () => {
  const weight = (n: number) => n;

  it('fills each group up to the budget, in order, never splitting an item', () => {
    expect(packByWeight([3, 4, 2, 5, 1], weight, 7)).toEqual([[3, 4], [2, 5], [1]]);
  });

  it('gives an item heavier than the budget a group of its own', () => {
    expect(packByWeight([2, 10, 2], weight, 5)).toEqual([[2], [10], [2]]);
  });

  it('closes a group at maxItems whatever its weight', () => {
    expect(packByWeight([1, 1, 1, 1, 1], weight, 100, 2)).toEqual([[1, 1], [1, 1], [1]]);
  });

  it('packs nothing into no group', () => {
    expect(packByWeight([], weight, 10)).toEqual([]);
  });
});
