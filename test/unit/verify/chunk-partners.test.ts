import { chunkPartners } from '../../../src/verify';

describe('chunks of partners for verification', () => {
  it('keeps partners in order, fills chunks up to the row budget and never splits a partner', () => {
    const sizes = new Map([
      [1, 30],
      [2, 30],
      [3, 50],
      [4, 200],
      [5, 10],
    ]);
    expect(chunkPartners([1, 2, 3, 4, 5, 6], sizes, 60)).toEqual([[1, 2], [3], [4], [5, 6]]);
    expect(chunkPartners([1, 2, 3], sizes, 1000)).toEqual([[1, 2, 3]]);
    expect(chunkPartners([], sizes, 10)).toEqual([]);
    // Partners with nothing archived cost nothing: they ride along.
    expect(chunkPartners([7, 8, 9], sizes, 1)).toEqual([[7, 8, 9]]);
  });
});
