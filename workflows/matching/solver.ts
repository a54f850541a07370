/**
 * Exact max-weight b-matching on a sparse bipartite graph, as a min-cost flow
 * solved by successive shortest paths (Dijkstra with node potentials).
 *
 * Network: item i (supply = its free headcount) → candidate c (capacity 1,
 * cost W - w(i, c)) → sink T (capacity = the candidate's free capacity,
 * cost 0), plus a bypass i → T (unbounded, cost W) so a slot may stay empty
 * at weight 0. Every unit of supply reaches T, so
 * cost = W · Σ supply - Σ w(assigned): the minimum cost is the maximum weight.
 * All costs are non-negative integers (W ≥ every weight), so potentials start
 * at 0 and every number stays an exact integer in a double.
 *
 * Units are added one at a time (Hungarian style): a Dijkstra from the item
 * stops as soon as it settles T, and only the nodes it settled move their
 * potential (π(x) += d(x) - d(T)), so π(T) stays 0 and one augmentation
 * costs only what it explored.
 *
 * LP duals from the potentials (the b-matching LP is totally unimodular):
 *   u_i = W + π(i) - π(T) ≥ 0   (the bypass keeps it non-negative)
 *   v_c = π(T) - π(c)     ≥ 0   (clamped to 0 for a candidate with no flow)
 * and every edge left out of the graph with w(i, c) ≤ u_i + v_c cannot improve
 * the total: that is the optimality certificate the caller checks.
 *
 * Warm start (addEdges): an added edge a = (i → c) with w > u_i + v_c has a
 * negative reduced cost, -gap. The current flow is still feasible; it is
 * optimal again once a is non-negative or carries flow. A Dijkstra from c
 * looks for a way back to i (a negative cycle i → c ⇝ i) and one from i,
 * backwards, for a way from the sink (a cycle through T: i takes c, c's unit
 * goes to T somewhere, and T gives one back to i). Both stop at distance
 * gap, so they only explore the pairs that could move. A cycle found is
 * cancelled (its edges are tight, so flipping them keeps every reduced cost
 * non-negative); otherwise the capped potential updates alone lift a to 0.
 * The sink is never expanded: from T every candidate with flow is one step
 * away, and paths through it are what the backward search is for.
 * Everything else keeps its flow and potentials.
 */

const inc = (a: Int32Array, k: number) => {
  a[k] = (a[k] as number) + 1
}

export class FlowSolver {
  readonly I: number
  readonly C: number
  readonly T: number
  readonly W: number
  /** Headcount to fill per item (fixed). */
  readonly demand: Int32Array
  /** Units still to send per item. */
  readonly supply: Int32Array
  readonly cap: Int32Array
  readonly used: Int32Array
  readonly bypass: Int32Array
  readonly pi: Float64Array

  // edges, grouped by item
  E = 0
  eItem = new Int32Array(0)
  eCand = new Int32Array(0)
  eW = new Int32Array(0)
  eFlow = new Uint8Array(0)
  adjStart: Int32Array
  // candidate → all its edges (for the backward searches)
  cinStart: Int32Array
  cinEdge = new Int32Array(0)
  // candidate → its edges carrying flow: slotEdge[slotStart[c] .. + used[c]]
  readonly slotStart: Int32Array
  readonly slotEdge: Int32Array

  // Dijkstra scratch
  private readonly dist: Float64Array
  private readonly seen: Int32Array
  private readonly done: Int32Array
  private readonly pred: Int32Array
  private readonly settled: Int32Array
  private stamp = 0
  private heapNode = new Int32Array(1024)
  private heapKey = new Float64Array(1024)
  private heapSize = 0
  /** Items whose potential must be set before their first unit (they carry no flow). */
  private readonly fresh: Uint8Array
  /** Nodes settled over all Dijkstra runs (a work measure). */
  settledTotal = 0
  augmentations = 0

  constructor(demand: Int32Array, cap: Int32Array, W: number) {
    this.I = demand.length
    this.C = cap.length
    this.T = this.I + this.C
    this.W = W
    this.demand = Int32Array.from(demand)
    this.supply = Int32Array.from(demand)
    this.cap = Int32Array.from(cap, (x) => Math.max(x, 0))
    this.used = new Int32Array(this.C)
    this.bypass = new Int32Array(this.I)
    const N = this.T + 1
    this.pi = new Float64Array(N)
    this.adjStart = new Int32Array(this.I + 1)
    this.cinStart = new Int32Array(this.C + 1)
    this.slotStart = new Int32Array(this.C + 1)
    for (let c = 0; c < this.C; c++) {
      this.slotStart[c + 1] = (this.slotStart[c] as number) + (this.cap[c] as number)
    }
    this.slotEdge = new Int32Array(this.slotStart[this.C] as number)
    this.dist = new Float64Array(N)
    this.seen = new Int32Array(N)
    this.done = new Int32Array(N)
    this.pred = new Int32Array(N)
    this.settled = new Int32Array(N)
    this.fresh = new Uint8Array(this.I).fill(1)
  }

  /**
   * Adds edges (none may repeat an existing pair) and repairs flow and
   * potentials so that every residual edge has a non-negative reduced cost
   * again (see repair); edges of items not solved yet wait for solve().
   * Returns how many negative cycles were cancelled.
   */
  addEdges(items: ArrayLike<number>, cands: ArrayLike<number>, weights: ArrayLike<number>): number {
    const { I, C, T, pi } = this
    // A candidate with no flow may take any potential ≥ π(T); the lowest is best.
    for (let c = 0; c < C; c++) {
      if (this.used[c] === 0 && (pi[I + c] as number) > (pi[T] as number))
        pi[I + c] = pi[T] as number
    }
    const oldE = this.E
    const n = items.length
    const E = oldE + n
    // Counting sort of old + new edges by item (old first, stable).
    const count = new Int32Array(I + 1)
    for (let e = 0; e < oldE; e++) inc(count, (this.eItem[e] as number) + 1)
    for (let k = 0; k < n; k++) inc(count, (items[k] as number) + 1)
    for (let i = 0; i < I; i++) count[i + 1] = (count[i + 1] as number) + (count[i] as number)
    const adjStart = Int32Array.from(count)
    const next = count
    const eItem = new Int32Array(E)
    const eCand = new Int32Array(E)
    const eW = new Int32Array(E)
    const eFlow = new Uint8Array(E)
    const remap = new Int32Array(oldE)
    for (let e = 0; e < oldE; e++) {
      const i = this.eItem[e] as number
      const at = next[i] as number
      next[i] = at + 1
      remap[e] = at
      eItem[at] = i
      eCand[at] = this.eCand[e] as number
      eW[at] = this.eW[e] as number
      eFlow[at] = this.eFlow[e] as number
    }
    const added = new Int32Array(n)
    for (let k = 0; k < n; k++) {
      const i = items[k] as number
      const at = next[i] as number
      next[i] = at + 1
      added[k] = at
      eItem[at] = i
      eCand[at] = cands[k] as number
      eW[at] = weights[k] as number
    }
    for (let c = 0; c < C; c++) {
      const s = this.slotStart[c] as number
      for (let k = s; k < s + (this.used[c] as number); k++) {
        this.slotEdge[k] = remap[this.slotEdge[k] as number] as number
      }
    }
    this.E = E
    this.eItem = eItem
    this.eCand = eCand
    this.eW = eW
    this.eFlow = eFlow
    this.adjStart = adjStart
    // candidate incidence
    const cs = new Int32Array(C + 1)
    for (let e = 0; e < E; e++) inc(cs, (eCand[e] as number) + 1)
    for (let c = 0; c < C; c++) cs[c + 1] = (cs[c + 1] as number) + (cs[c] as number)
    const cinStart = Int32Array.from(cs)
    const cinEdge = new Int32Array(E)
    for (let e = 0; e < E; e++) {
      const c = eCand[e] as number
      const at = cs[c] as number
      cs[c] = at + 1
      cinEdge[at] = e
    }
    this.cinStart = cinStart
    this.cinEdge = cinEdge

    // Repair: every added edge with a negative reduced cost either closes a
    // negative cycle, which is cancelled, or has its cost absorbed by the
    // potentials. Pending edges stay out of the searches until their turn.
    const pending = new Uint8Array(E)
    for (let k = 0; k < n; k++) pending[added[k] as number] = 1
    this.pending = pending
    let repaired = 0
    for (let k = 0; k < n; k++) {
      const e = added[k] as number
      pending[e] = 0
      if (this.fresh[eItem[e] as number]) continue
      if (this.repair(e)) repaired++
    }
    return repaired
  }

  /** Edges added but not yet repaired (kept out of the searches). */
  private pending = new Uint8Array(0)

  private rc(e: number): number {
    return (
      this.W -
      (this.eW[e] as number) +
      (this.pi[this.eItem[e] as number] as number) -
      (this.pi[this.I + (this.eCand[e] as number)] as number)
    )
  }

  /**
   * Makes edge a = (i → c) non-negative. A forward Dijkstra from c looks for
   * i (a cycle i → c ⇝ i) or the sink; a backward Dijkstra from i looks for
   * the sink or c (a cycle through the sink: i → c ⇝ T ⇝ i). Both stop at
   * the edge's deficit, so they only explore the neighbourhood that could
   * change. Potential updates are capped at where each search stopped, which
   * keeps every other residual edge non-negative. Returns whether flow moved.
   */
  private repair(a: number): boolean {
    const { I, T } = this
    const i = this.eItem[a] as number
    const c = this.eCand[a] as number
    let gap = -this.rc(a)
    if (gap <= 0) return false
    // forward from c
    const f = this.search(I + c, i, gap, true)
    this.shift(f.cap, true)
    if (f.hit === i) {
      this.flipForward(i, I + c)
      this.take(a)
      return true
    }
    if (f.hit !== T) return false
    // c ⇝ T is now tight; keep its path, then look for T ⇝ i.
    const forward = this.pathToStart(T, I + c)
    gap = -this.rc(a)
    if (gap <= 0) return false
    const b = this.search(i, I + c, gap, false)
    this.shift(b.cap, false)
    if (b.hit === I + c) {
      this.flipBackward(I + c, i)
      this.take(a)
      return true
    }
    if (b.hit !== T) return false
    this.applyForward(forward)
    this.flipBackward(T, i)
    this.take(a)
    return true
  }

  /** a = (i → c) gets flow. */
  private take(a: number) {
    this.eFlow[a] = 1
    this.addSlot(this.eCand[a] as number, a)
  }

  private searchSettled = 0
  /**
   * Dijkstra from `from` on the residual graph (forward) or its reverse
   * (backward), stopping when it settles `target` or T, or reaches `bound`.
   * Returns what it hit (-1 for the bound) and the cap for the potential shift.
   */
  private search(from: number, target: number, bound: number, forward: boolean) {
    const { I, T, W, pi, dist, seen, done, pred, settled, eFlow, eCand, eItem, eW, adjStart } = this
    const pending = this.pending
    const stamp = ++this.stamp
    let nSettled = 0
    this.heapSize = 0
    dist[from] = 0
    seen[from] = stamp
    this.push(from, 0)
    const relax = (y: number, nd: number, p: number) => {
      if (nd >= bound) return
      if (seen[y] !== stamp || nd < (dist[y] as number)) {
        dist[y] = nd
        seen[y] = stamp
        pred[y] = p
        this.push(y, nd)
      }
    }
    let hit = -1
    let cap = bound
    while (this.heapSize > 0) {
      const x = this.pop()
      const dx = this.popKey
      if (done[x] === stamp || dx > (dist[x] as number)) continue
      done[x] = stamp
      settled[nSettled++] = x
      if (x === target || x === T) {
        hit = x
        cap = dx
        break
      }
      const px = pi[x] as number
      if (forward) {
        if (x < I) {
          for (let e = adjStart[x] as number; e < (adjStart[x + 1] as number); e++) {
            if (eFlow[e] !== 0 || pending[e] === 1) continue
            const y = I + (eCand[e] as number)
            if (done[y] === stamp) continue
            relax(y, dx + (W - (eW[e] as number)) + px - (pi[y] as number), e)
          }
          relax(T, dx + W + px - (pi[T] as number), -(x + 1))
        } else {
          const cc = x - I
          const used = this.used[cc] as number
          if (used < (this.cap[cc] as number)) relax(T, dx + px - (pi[T] as number), cc)
          const s0 = this.slotStart[cc] as number
          for (let k = s0; k < s0 + used; k++) {
            const e = this.slotEdge[k] as number
            const y = eItem[e] as number
            if (done[y] === stamp) continue
            relax(y, dx - (W - (eW[e] as number)) + px - (pi[y] as number), e)
          }
        }
      } else if (x < I) {
        // residual edges into item x: from its assigned candidates, from T when bypassed
        for (let e = adjStart[x] as number; e < (adjStart[x + 1] as number); e++) {
          if (eFlow[e] === 0) continue
          const y = I + (eCand[e] as number)
          if (done[y] === stamp) continue
          relax(y, dx - (W - (eW[e] as number)) + (pi[y] as number) - px, e)
        }
        if ((this.bypass[x] as number) > 0) relax(T, dx - W + (pi[T] as number) - px, -(x + 1))
      } else {
        // residual edges into candidate x: unassigned edges from items, from T when it has flow
        const cc = x - I
        for (let k = this.cinStart[cc] as number; k < (this.cinStart[cc + 1] as number); k++) {
          const e = this.cinEdge[k] as number
          if (eFlow[e] !== 0 || pending[e] === 1) continue
          const y = eItem[e] as number
          if (done[y] === stamp || this.fresh[y]) continue
          relax(y, dx + (W - (eW[e] as number)) + (pi[y] as number) - px, e)
        }
        if ((this.used[cc] as number) > 0) relax(T, dx + (pi[T] as number) - px, cc)
      }
    }
    this.searchSettled = nSettled
    this.settledTotal += nSettled
    return { hit, cap }
  }

  /**
   * Potentials after a search capped at `cap`: forward, π += d - cap for the
   * settled nodes; backward, π += cap - d. Nodes the search did not settle
   * keep theirs (their distance is at least the cap).
   */
  private shift(cap: number, forward: boolean) {
    const { pi, dist, settled } = this
    for (let k = 0; k < this.searchSettled; k++) {
      const x = settled[k] as number
      const d = Math.min(dist[x] as number, cap)
      pi[x] = (pi[x] as number) + (forward ? d - cap : cap - d)
    }
  }

  /** Flips the forward search's path from `start` to `end` (walked back from end). */
  private flipForward(end: number, start: number) {
    const { I, pred, eFlow, eItem, eCand } = this
    let node = end
    while (node !== start) {
      const e = pred[node] as number
      if (node < I) {
        eFlow[e] = 0
        this.removeSlot(eCand[e] as number, e)
        node = I + (eCand[e] as number)
      } else {
        eFlow[e] = 1
        this.addSlot(node - I, e)
        node = eItem[e] as number
      }
    }
  }

  /** The forward search's path from `start` to T, as (node, pred) pairs from T back. */
  private pathToStart(T: number, start: number): number[] {
    const { I, pred, eItem, eCand } = this
    const out: number[] = []
    let node = T
    while (node !== start) {
      const p = pred[node] as number
      out.push(node, p)
      if (node === T) node = p < 0 ? -p - 1 : I + p
      else if (node < I) node = I + (eCand[p] as number)
      else node = eItem[p] as number
    }
    return out
  }

  private applyForward(path: number[]) {
    const { I, T, eFlow, eCand } = this
    for (let k = 0; k < path.length; k += 2) {
      const node = path[k] as number
      const p = path[k + 1] as number
      if (node === T) {
        if (p < 0) this.bypass[-p - 1] = (this.bypass[-p - 1] as number) + 1
      } else if (node < I) {
        eFlow[p] = 0
        this.removeSlot(eCand[p] as number, p)
      } else {
        eFlow[p] = 1
        this.addSlot(node - I, p)
      }
    }
  }

  /**
   * Flips the backward search's path from `start` (T or a candidate) to
   * `end` (the item): collected first, then applied from the item back so
   * that each candidate gives a slot up before taking one.
   */
  private flipBackward(start: number, end: number) {
    const { I, T, pred, eFlow, eItem, eCand } = this
    const path: number[] = []
    let node = start
    while (node !== end) {
      const p = pred[node] as number
      path.push(node, p)
      if (node === T) node = p < 0 ? -p - 1 : I + p
      else if (node < I) node = I + (eCand[p] as number)
      else node = eItem[p] as number
    }
    for (let k = path.length - 2; k >= 0; k -= 2) {
      const x = path[k] as number
      const p = path[k + 1] as number
      if (x === T) {
        if (p < 0) this.bypass[-p - 1] = (this.bypass[-p - 1] as number) - 1
      } else if (x < I) {
        // item x → candidate eCand[p]: a forward edge takes flow
        eFlow[p] = 1
        this.addSlot(eCand[p] as number, p)
      } else {
        // candidate x → item eItem[p]: the candidate drops the item
        eFlow[p] = 0
        this.removeSlot(x - I, p)
      }
    }
  }

  private removeSlot(c: number, e: number) {
    const s = this.slotStart[c] as number
    const last = s + (this.used[c] as number) - 1
    for (let k = s; k <= last; k++) {
      if (this.slotEdge[k] === e) {
        this.slotEdge[k] = this.slotEdge[last] as number
        break
      }
    }
    this.used[c] = (this.used[c] as number) - 1
  }

  private addSlot(c: number, e: number) {
    this.slotEdge[(this.slotStart[c] as number) + (this.used[c] as number)] = e
    this.used[c] = (this.used[c] as number) + 1
  }

  /** Sends every unit of supply left, item by item. */
  solve() {
    const { I, pi, T } = this
    for (let i = 0; i < I; i++) {
      if (this.supply[i] === 0) continue
      if (this.fresh[i]) {
        // The lowest potential that keeps every edge out of the item non-negative.
        let p = (pi[T] as number) - this.W
        for (let e = this.adjStart[i] as number; e < (this.adjStart[i + 1] as number); e++) {
          const q =
            (pi[I + (this.eCand[e] as number)] as number) - (this.W - (this.eW[e] as number))
          if (q > p) p = q
        }
        pi[i] = p
        this.fresh[i] = 0
      }
      while ((this.supply[i] as number) > 0) {
        this.augment(i)
        this.supply[i] = (this.supply[i] as number) - 1
      }
    }
  }

  private push(node: number, key: number) {
    if (this.heapSize === this.heapNode.length) {
      const n = new Int32Array(this.heapSize * 2)
      n.set(this.heapNode)
      this.heapNode = n
      const k = new Float64Array(this.heapSize * 2)
      k.set(this.heapKey)
      this.heapKey = k
    }
    const hn = this.heapNode
    const hk = this.heapKey
    let j = this.heapSize++
    while (j > 0) {
      const p = (j - 1) >> 1
      const pk = hk[p] as number
      if (pk < key || (pk === key && (hn[p] as number) <= node)) break
      hn[j] = hn[p] as number
      hk[j] = pk
      j = p
    }
    hn[j] = node
    hk[j] = key
  }

  /** Pops the minimum; its key is left in popKey. */
  private popKey = 0
  private pop(): number {
    const hn = this.heapNode
    const hk = this.heapKey
    const top = hn[0] as number
    this.popKey = hk[0] as number
    const size = --this.heapSize
    if (size > 0) {
      const node = hn[size] as number
      const key = hk[size] as number
      let j = 0
      for (;;) {
        let l = 2 * j + 1
        if (l >= size) break
        const r = l + 1
        if (r < size) {
          const lk = hk[l] as number
          const rk = hk[r] as number
          if (rk < lk || (rk === lk && (hn[r] as number) < (hn[l] as number))) l = r
        }
        const lk = hk[l] as number
        if (lk > key || (lk === key && (hn[l] as number) >= node)) break
        hn[j] = hn[l] as number
        hk[j] = lk
        j = l
      }
      hn[j] = node
      hk[j] = key
    }
    return top
  }

  /** One unit from item s to T along a shortest path. */
  private augment(s: number) {
    const { I, T, W, pi, dist, seen, done, pred, settled, eFlow, eCand, eItem, eW, adjStart } = this
    const stamp = ++this.stamp
    let nSettled = 0
    this.heapSize = 0
    dist[s] = 0
    seen[s] = stamp
    this.push(s, 0)
    const relax = (y: number, nd: number, p: number) => {
      if (seen[y] !== stamp || nd < (dist[y] as number)) {
        dist[y] = nd
        seen[y] = stamp
        pred[y] = p
        this.push(y, nd)
      }
    }
    let found = false
    while (this.heapSize > 0) {
      const x = this.pop()
      const dx = this.popKey
      if (done[x] === stamp || dx > (dist[x] as number)) continue
      done[x] = stamp
      settled[nSettled++] = x
      if (x === T) {
        found = true
        break
      }
      const px = pi[x] as number
      if (x < I) {
        for (let e = adjStart[x] as number; e < (adjStart[x + 1] as number); e++) {
          if (eFlow[e] !== 0) continue
          const y = I + (eCand[e] as number)
          if (done[y] === stamp) continue
          relax(y, dx + (W - (eW[e] as number)) + px - (pi[y] as number), e)
        }
        relax(T, dx + W + px - (pi[T] as number), -(x + 1))
      } else {
        const c = x - I
        const used = this.used[c] as number
        if (used < (this.cap[c] as number)) relax(T, dx + px - (pi[T] as number), c)
        const s0 = this.slotStart[c] as number
        for (let k = s0; k < s0 + used; k++) {
          const e = this.slotEdge[k] as number
          const y = eItem[e] as number
          if (done[y] === stamp) continue
          relax(y, dx - (W - (eW[e] as number)) + px - (pi[y] as number), e)
        }
      }
    }
    if (!found) throw new Error('matching: no path to the sink (the bypass should always give one)')
    this.settledTotal += nSettled
    this.augmentations++
    const dT = dist[T] as number
    for (let k = 0; k < nSettled; k++) {
      const x = settled[k] as number
      pi[x] = (pi[x] as number) + (dist[x] as number) - dT
    }
    // Walk the path back from T, flipping flows.
    const last = pred[T] as number
    let node: number
    if (last < 0) {
      node = -last - 1
      this.bypass[node] = (this.bypass[node] as number) + 1
    } else {
      node = I + last
    }
    while (node !== s) {
      if (node >= I) {
        const e = pred[node] as number
        eFlow[e] = 1
        this.addSlot(node - I, e)
        node = eItem[e] as number
      } else {
        const e = pred[node] as number
        eFlow[e] = 0
        const c = eCand[e] as number
        this.removeSlot(c, e)
        node = I + c
      }
    }
  }

  /** Item duals u_i (≥ 0). */
  itemDual(i: number): number {
    return this.W + (this.pi[i] as number) - (this.pi[this.T] as number)
  }

  /** Candidate duals v_c (≥ 0; 0 for a candidate without flow). */
  candidateDual(c: number): number {
    if (this.used[c] === 0) return 0
    const v = (this.pi[this.T] as number) - (this.pi[this.I + c] as number)
    return Math.max(v, 0)
  }

  /** Σ w over edges with flow. */
  totalWeight(): number {
    let t = 0
    for (let e = 0; e < this.E; e++) if (this.eFlow[e]) t += this.eW[e] as number
    return t
  }

  /**
   * Self-check for tests: flows within bounds and every residual edge with a
   * non-negative reduced cost. Returns a list of problems (empty when sound).
   */
  check(): string[] {
    const problems: string[] = []
    const { I, C, T, W, pi } = this
    const out = new Int32Array(I)
    const into = new Int32Array(C)
    for (let e = 0; e < this.E; e++) {
      const i = this.eItem[e] as number
      const c = this.eCand[e] as number
      const rc = W - (this.eW[e] as number) + (pi[i] as number) - (pi[I + c] as number)
      if (this.eFlow[e]) {
        out[i] = (out[i] as number) + 1
        into[c] = (into[c] as number) + 1
        if (rc > 0) problems.push(`edge ${i}->${c} carries flow with reduced cost ${rc}`)
      } else if (rc < 0 && !this.fresh[i]) {
        problems.push(`edge ${i}->${c} has reduced cost ${rc}`)
      }
    }
    for (let i = 0; i < I; i++) {
      if (
        (out[i] as number) + (this.bypass[i] as number) + (this.supply[i] as number) !==
        this.demand[i]
      ) {
        problems.push(`item ${i} flow does not add up`)
      }
      if (this.itemDual(i) < 0) problems.push(`item ${i} has a negative dual`)
      if (this.bypass[i] && this.itemDual(i) !== 0)
        problems.push(`item ${i} bypassed with dual > 0`)
    }
    for (let c = 0; c < C; c++) {
      if (into[c] !== this.used[c]) problems.push(`candidate ${c} slots do not add up`)
      if ((this.used[c] as number) > (this.cap[c] as number))
        problems.push(`candidate ${c} over capacity`)
      const rcOut = (pi[I + c] as number) - (pi[T] as number)
      if ((this.used[c] as number) < (this.cap[c] as number) && rcOut < 0) {
        problems.push(`candidate ${c} unsaturated with π below π(T)`)
      }
      if ((this.used[c] as number) > 0 && rcOut > 0)
        problems.push(`candidate ${c} with flow above π(T)`)
    }
    return problems
  }
}
