import { describe, expect, it } from 'vitest';
import { FifoQueue } from './fifo-queue.js';

describe('FifoQueue', () => {
  it('hands items out first in, first out', () => {
    const queue = new FifoQueue<number>();
    expect(queue.shift()).toBeUndefined();
    expect(queue.peek()).toBeUndefined();
    queue.push(1);
    queue.push(2);
    queue.push(3);
    expect(queue.peek()).toBe(1);
    expect(queue.length).toBe(3);
    expect(queue.shift()).toBe(1);
    expect([...queue]).toEqual([2, 3]);
    expect(queue.shift()).toBe(2);
    expect(queue.shift()).toBe(3);
    expect(queue.shift()).toBeUndefined();
    expect(queue.length).toBe(0);
  });

  it('keeps its order across compactions', () => {
    const queue = new FifoQueue<number>();
    const taken: number[] = [];
    for (let i = 0; i < 10_000; i += 1) {
      queue.push(i);
      if (i % 3 !== 0) taken.push(queue.shift() ?? -1);
    }
    expect(taken).toEqual(Array.from({ length: taken.length }, (_, i) => i));
    expect([...queue]).toEqual(Array.from({ length: queue.length }, (_, i) => taken.length + i));
  });

  it('retain keeps the accepted items in order', () => {
    const queue = new FifoQueue<number>();
    for (let i = 0; i < 10; i += 1) queue.push(i);
    queue.shift();
    queue.retain((n) => n % 2 === 0);
    expect([...queue]).toEqual([2, 4, 6, 8]);
    expect(queue.length).toBe(4);
    expect(queue.shift()).toBe(2);
  });
});
