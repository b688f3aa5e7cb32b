using static System.FormattableString;

namespace NfmGen.Mixing.PuzzleMix;

/// <summary>
/// A flow network for one minimum s-t cut: nodes with capacities from a source and to a sink terminal, and directed
/// capacities between nodes, all non-negative integers. Solved by Dinic's algorithm (blocking flows on BFS levels),
/// which is short and fast on Puzzle Mix's graphs of at most 256 nodes.
/// </summary>
/// <remarks>
/// Build with <see cref="AddTerminalCapacities"/> and <see cref="AddEdge"/>, solve once with
/// <see cref="ComputeMaxFlow"/>, read the cut with <see cref="IsOnSourceSide"/>, then <see cref="Reset"/> to build the
/// next graph in the same buffers. An instance is not thread-safe: use one per thread.
/// </remarks>
internal sealed class MaxFlowGraph
{
    // Vertices 0..n-1 are the nodes, n the source, n+1 the sink. Arcs come in pairs: a ^ 1 is the reverse of a.
    private int nodeCount;
    private int[] firstArc = [];
    private int[] arcHead = [];
    private int[] arcNext = [];
    private long[] residual = [];
    private int arcCount;

    private long[] fromSource = [];
    private long[] toSink = [];

    // Search state, sized with the vertices and kept across resets.
    private int[] height = [];
    private int[] currentArc = [];
    private int[] queue = [];
    private bool[] onSinkSide = [];
    private bool solved;

    /// <summary>An empty graph; call <see cref="Reset"/> before adding to it.</summary>
    public MaxFlowGraph()
    {
    }

    /// <summary>A graph of <paramref name="nodeCount"/> nodes and no capacities yet.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nodeCount"/> is negative.</exception>
    public MaxFlowGraph(int nodeCount) => Reset(nodeCount);

    /// <summary>The number of nodes, terminals not counted.</summary>
    public int NodeCount => this.nodeCount;

    /// <summary>
    /// Clears the graph to <paramref name="nodeCount"/> nodes and no capacities, keeping the buffers of earlier
    /// graphs, so that building many small graphs allocates only when one is larger than all before it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nodeCount"/> is negative.</exception>
    public void Reset(int nodeCount)
    {
        if (nodeCount < 0)
            throw new ArgumentOutOfRangeException(nameof(nodeCount), nodeCount, Invariant($"nodeCount must be >= 0 (was {nodeCount})."));
        this.nodeCount = nodeCount;
        var vertices = nodeCount + 2;
        EnsureLength(ref firstArc, vertices);
        EnsureLength(ref height, vertices);
        EnsureLength(ref currentArc, vertices);
        EnsureLength(ref queue, vertices);
        EnsureLength(ref onSinkSide, vertices);
        EnsureLength(ref this.fromSource, nodeCount);
        EnsureLength(ref this.toSink, nodeCount);
        Array.Fill(firstArc, -1, 0, vertices);
        Array.Clear(this.fromSource, 0, nodeCount);
        Array.Clear(this.toSink, 0, nodeCount);
        arcCount = 0;
        this.solved = false;
    }

    /// <summary>
    /// Adds <paramref name="fromSource"/> to the capacity of the arc source → <paramref name="node"/> and
    /// <paramref name="toSink"/> to that of <paramref name="node"/> → sink. A node left on the source side cuts its
    /// sink arc; one on the sink side cuts its source arc.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The node is not in the graph, or a capacity is negative.</exception>
    /// <exception cref="InvalidOperationException">The graph was solved already; <see cref="Reset"/> it first.</exception>
    public void AddTerminalCapacities(int node, long fromSource, long toSink)
    {
        EnsureBuilding();
        CheckNode(node, nameof(node));
        CheckCapacity(fromSource, nameof(fromSource));
        CheckCapacity(toSink, nameof(toSink));
        this.fromSource[node] += fromSource;
        this.toSink[node] += toSink;
    }

    /// <summary>
    /// Adds an edge between two nodes: <paramref name="capacity"/> from <paramref name="from"/> to
    /// <paramref name="to"/> and <paramref name="reverseCapacity"/> back (equal for an undirected edge).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A node is not in the graph, the two nodes are the same, or a capacity is negative.
    /// </exception>
    /// <exception cref="InvalidOperationException">The graph was solved already; <see cref="Reset"/> it first.</exception>
    public void AddEdge(int from, int to, long capacity, long reverseCapacity)
    {
        EnsureBuilding();
        CheckNode(from, nameof(from));
        CheckNode(to, nameof(to));
        if (from == to)
            throw new ArgumentOutOfRangeException(nameof(to), to, Invariant($"An edge must join two different nodes (both were {from})."));
        CheckCapacity(capacity, nameof(capacity));
        CheckCapacity(reverseCapacity, nameof(reverseCapacity));
        AddArcPair(from, to, capacity, reverseCapacity);
    }

    /// <summary>
    /// Computes a maximum flow from source to sink, which equals the capacity of a minimum cut, and remembers that
    /// cut for <see cref="IsOnSourceSide"/>. Deterministic: the same graph, built in the same order, gives the same cut.
    /// </summary>
    /// <exception cref="InvalidOperationException">The graph was solved already; <see cref="Reset"/> it first.</exception>
    public long ComputeMaxFlow()
    {
        EnsureBuilding();
        this.solved = true;
        var source = this.nodeCount;
        var sink = this.nodeCount + 1;

        // A node's flow straight from source to sink needs no search: send it, and keep only the rest as arcs.
        long flow = 0;
        for (var node = 0; node < this.nodeCount; node++)
        {
            var direct = Math.Min(this.fromSource[node], this.toSink[node]);
            flow += direct;
            if (this.fromSource[node] > direct)
                AddArcPair(source, node, this.fromSource[node] - direct, 0);
            if (this.toSink[node] > direct)
                AddArcPair(node, sink, this.toSink[node] - direct, 0);
        }
        return flow + Dinic(source, sink);
    }

    /// <summary>
    /// Whether <paramref name="node"/> is on the source side of the minimum cut found by <see cref="ComputeMaxFlow"/>:
    /// the side that cannot reach the sink in the residual graph (so ties go to the source side).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The node is not in the graph.</exception>
    /// <exception cref="InvalidOperationException">The graph has not been solved yet.</exception>
    public bool IsOnSourceSide(int node)
    {
        if (!this.solved)
            throw new InvalidOperationException("Call ComputeMaxFlow before reading the cut.");
        CheckNode(node, nameof(node));
        return !onSinkSide[node];
    }

    // Dinic's algorithm: breadth-first levels from the source over residual arcs, then augmenting paths that climb one
    // level per arc until none is left, and again until the sink is out of reach. On Puzzle Mix's grids (terminal arcs
    // far heavier than the grid's edges) it labelled a 16 x 16 grid about 10 times faster than the FIFO push-relabel
    // it replaced, which sent excess back and forth between the heavy arcs.
    private long Dinic(int source, int sink)
    {
        var vertices = this.nodeCount + 2;
        long flow = 0;
        while (SetLevels(source, sink, vertices))
        {
            Array.Copy(firstArc, currentArc, vertices);
            long pushed;
            while ((pushed = Augment(source, sink, long.MaxValue)) > 0)
                flow += pushed;
        }
        MarkSinkSide(sink, vertices);
        return flow;
    }

    // The residual distance from the source of every vertex (-1: unreachable) in height; whether the sink is reachable.
    private bool SetLevels(int source, int sink, int vertices)
    {
        Array.Fill(height, -1, 0, vertices);
        height[source] = 0;
        queue[0] = source;
        var tail = 1;
        for (var head = 0; head < tail; head++)
        {
            var vertex = queue[head];
            for (var arc = firstArc[vertex]; arc >= 0; arc = arcNext[arc])
            {
                var other = arcHead[arc];
                if (height[other] < 0 && this.residual[arc] > 0)
                {
                    height[other] = height[vertex] + 1;
                    queue[tail++] = other;
                }
            }
        }
        return height[sink] >= 0;
    }

    // One augmenting path from vertex to the sink along arcs one level up, at most limit; returns what it carried.
    // Arcs that lead nowhere are skipped for the rest of the phase (currentArc). The depth is at most the vertex count.
    private long Augment(int vertex, int sink, long limit)
    {
        if (vertex == sink)
            return limit;
        for (; currentArc[vertex] >= 0; currentArc[vertex] = arcNext[currentArc[vertex]])
        {
            var arc = currentArc[vertex];
            var next = arcHead[arc];
            if (this.residual[arc] <= 0 || height[next] != height[vertex] + 1)
                continue;
            var carried = Augment(next, sink, Math.Min(limit, this.residual[arc]));
            if (carried > 0)
            {
                this.residual[arc] -= carried;
                this.residual[arc ^ 1] += carried;
                return carried;
            }
        }
        return 0;
    }

    // The sink side of the cut: every vertex that can still reach the sink through residual arcs (a breadth-first
    // search backwards from the sink).
    private void MarkSinkSide(int sink, int vertices)
    {
        Array.Fill(onSinkSide, false, 0, vertices);
        onSinkSide[sink] = true;
        queue[0] = sink;
        var tail = 1;
        for (var head = 0; head < tail; head++)
        {
            var vertex = queue[head];
            for (var arc = firstArc[vertex]; arc >= 0; arc = arcNext[arc])
            {
                var other = arcHead[arc];
                if (!onSinkSide[other] && this.residual[arc ^ 1] > 0)
                {
                    onSinkSide[other] = true;
                    queue[tail++] = other;
                }
            }
        }
    }

    private void AddArcPair(int from, int to, long capacity, long reverseCapacity)
    {
        if (arcCount + 2 > arcHead.Length)
        {
            var length = Math.Max(16, arcHead.Length * 2);
            Array.Resize(ref arcHead, length);
            Array.Resize(ref arcNext, length);
            Array.Resize(ref this.residual, length);
        }
        AddArc(from, to, capacity);
        AddArc(to, from, reverseCapacity);
    }

    private void AddArc(int from, int to, long capacity)
    {
        arcHead[arcCount] = to;
        this.residual[arcCount] = capacity;
        arcNext[arcCount] = firstArc[from];
        firstArc[from] = arcCount;
        arcCount++;
    }

    private void EnsureBuilding()
    {
        if (this.solved)
            throw new InvalidOperationException("This graph was solved already; call Reset before building another.");
    }

    private void CheckNode(int node, string name)
    {
        if ((uint)node >= (uint)this.nodeCount)
            throw new ArgumentOutOfRangeException(name, node, Invariant($"{name} must be a node in [0, {this.nodeCount}) (was {node})."));
    }

    private static void CheckCapacity(long capacity, string name)
    {
        if (capacity < 0)
            throw new ArgumentOutOfRangeException(name, capacity, Invariant($"{name} must be >= 0 (was {capacity})."));
    }

    private static void EnsureLength<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
            buffer = new T[length];
    }
}
