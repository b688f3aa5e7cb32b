using static System.FormattableString;

namespace NfmGen.PuzzleMix;

/// <summary>
/// A flow network for one minimum s-t cut: nodes with capacities from a source and to a sink terminal, and directed
/// capacities between nodes, all non-negative integers. Solved by FIFO push-relabel (Goldberg and Tarjan 1988),
/// which is short and needs no augmenting-path bookkeeping; Puzzle Mix's graphs have at most 256 nodes.
/// </summary>
/// <remarks>
/// Build with <see cref="AddTerminalCapacities"/> and <see cref="AddEdge"/>, solve once with
/// <see cref="ComputeMaxFlow"/>, read the cut with <see cref="IsOnSourceSide"/>, then <see cref="Reset"/> to build the
/// next graph in the same buffers. An instance is not thread-safe: use one per thread.
/// </remarks>
public sealed class MaxFlowGraph
{
    // Vertices 0..n-1 are the nodes, n the source, n+1 the sink. Arcs come in pairs: a ^ 1 is the reverse of a.
    private int _nodeCount;
    private int[] _firstArc = [];
    private int[] _arcHead = [];
    private int[] _arcNext = [];
    private long[] _residual = [];
    private int _arcCount;

    private long[] _fromSource = [];
    private long[] _toSink = [];

    // Push-relabel state, sized with the vertices and kept across resets.
    private long[] _excess = [];
    private int[] _height = [];
    private int[] _currentArc = [];
    private int[] _queue = [];
    private bool[] _onSinkSide = [];
    private bool _solved;

    /// <summary>An empty graph; call <see cref="Reset"/> before adding to it.</summary>
    public MaxFlowGraph()
    {
    }

    /// <summary>A graph of <paramref name="nodeCount"/> nodes and no capacities yet.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nodeCount"/> is negative.</exception>
    public MaxFlowGraph(int nodeCount) => Reset(nodeCount);

    /// <summary>The number of nodes, terminals not counted.</summary>
    public int NodeCount => _nodeCount;

    /// <summary>
    /// Clears the graph to <paramref name="nodeCount"/> nodes and no capacities, keeping the buffers of earlier
    /// graphs, so that building many small graphs allocates only when one is larger than all before it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nodeCount"/> is negative.</exception>
    public void Reset(int nodeCount)
    {
        if (nodeCount < 0)
            throw new ArgumentOutOfRangeException(nameof(nodeCount), nodeCount, Invariant($"nodeCount must be >= 0 (was {nodeCount})."));
        _nodeCount = nodeCount;
        var vertices = nodeCount + 2;
        EnsureLength(ref _firstArc, vertices);
        EnsureLength(ref _excess, vertices);
        EnsureLength(ref _height, vertices);
        EnsureLength(ref _currentArc, vertices);
        EnsureLength(ref _queue, vertices);
        EnsureLength(ref _onSinkSide, vertices);
        EnsureLength(ref _fromSource, nodeCount);
        EnsureLength(ref _toSink, nodeCount);
        Array.Fill(_firstArc, -1, 0, vertices);
        Array.Clear(_fromSource, 0, nodeCount);
        Array.Clear(_toSink, 0, nodeCount);
        _arcCount = 0;
        _solved = false;
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
        _fromSource[node] += fromSource;
        _toSink[node] += toSink;
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
        _solved = true;
        var source = _nodeCount;
        var sink = _nodeCount + 1;

        // A node's flow straight from source to sink needs no search: send it, and keep only the rest as arcs.
        long flow = 0;
        for (var node = 0; node < _nodeCount; node++)
        {
            var direct = Math.Min(_fromSource[node], _toSink[node]);
            flow += direct;
            if (_fromSource[node] > direct)
                AddArcPair(source, node, _fromSource[node] - direct, 0);
            if (_toSink[node] > direct)
                AddArcPair(node, sink, _toSink[node] - direct, 0);
        }
        return flow + PushRelabel(source, sink);
    }

    /// <summary>
    /// Whether <paramref name="node"/> is on the source side of the minimum cut found by <see cref="ComputeMaxFlow"/>:
    /// the side that cannot reach the sink in the residual graph (so ties go to the source side).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The node is not in the graph.</exception>
    /// <exception cref="InvalidOperationException">The graph has not been solved yet.</exception>
    public bool IsOnSourceSide(int node)
    {
        if (!_solved)
            throw new InvalidOperationException("Call ComputeMaxFlow before reading the cut.");
        CheckNode(node, nameof(node));
        return !_onSinkSide[node];
    }

    private long PushRelabel(int source, int sink)
    {
        var vertices = _nodeCount + 2;
        SetExactHeights(sink, vertices);
        _height[source] = vertices;
        Array.Clear(_excess, 0, vertices);

        // Saturate every arc out of the source; the nodes they reach start the queue of active nodes.
        var head = 0;
        var count = 0;
        for (var arc = _firstArc[source]; arc >= 0; arc = _arcNext[arc])
        {
            var node = _arcHead[arc];
            var amount = _residual[arc];
            _residual[arc] = 0;
            _residual[arc ^ 1] += amount;
            _excess[node] += amount;
            // Only ever one source arc per node (see ComputeMaxFlow), so each node is queued at most once here.
            _queue[(head + count++) % vertices] = node;
        }

        while (count > 0)
        {
            var node = _queue[head];
            head = (head + 1) % vertices;
            count--;
            Discharge(node, source, sink, vertices, ref head, ref count);
        }

        MarkSinkSide(sink, vertices);
        return _excess[sink];
    }

    // Pushes all of a node's excess to lower neighbours, relabelling it whenever none is left to push to.
    private void Discharge(int node, int source, int sink, int vertices, ref int head, ref int count)
    {
        while (_excess[node] > 0)
        {
            var arc = _currentArc[node];
            if (arc < 0)
            {
                Relabel(node);
                continue;
            }
            var next = _arcHead[arc];
            if (_residual[arc] > 0 && _height[node] == _height[next] + 1)
            {
                var amount = Math.Min(_excess[node], _residual[arc]);
                _residual[arc] -= amount;
                _residual[arc ^ 1] += amount;
                _excess[node] -= amount;
                var wasIdle = _excess[next] == 0;
                _excess[next] += amount;
                if (wasIdle && next != source && next != sink)
                {
                    // A queued node holds excess, so an idle one is not queued: at most one entry per node.
                    _queue[(head + count++) % vertices] = next;
                }
            }
            else
            {
                _currentArc[node] = _arcNext[arc];
            }
        }
    }

    private void Relabel(int node)
    {
        // A node with excess always has a residual arc back along the way its excess came.
        var lowest = int.MaxValue;
        for (var arc = _firstArc[node]; arc >= 0; arc = _arcNext[arc])
        {
            if (_residual[arc] > 0)
                lowest = Math.Min(lowest, _height[_arcHead[arc]]);
        }
        // Heights stay below 2·vertices in push-relabel; past that, or with no residual arc, the bookkeeping is broken,
        // and failing beats looping forever.
        if (lowest >= 2 * (_nodeCount + 2))
            throw new InvalidOperationException(Invariant($"Push-relabel broke its height bound at node {node}: this is a bug in MaxFlowGraph."));
        _height[node] = lowest + 1;
        _currentArc[node] = _firstArc[node];
    }

    // Starts each height at the exact residual distance to the sink (the vertex count where there is none), a valid
    // labelling that saves the many relabels of starting from zero.
    private void SetExactHeights(int sink, int vertices)
    {
        Array.Fill(_height, -1, 0, vertices);
        _height[sink] = 0;
        _queue[0] = sink;
        var tail = 1;
        for (var headIndex = 0; headIndex < tail; headIndex++)
        {
            var vertex = _queue[headIndex];
            for (var arc = _firstArc[vertex]; arc >= 0; arc = _arcNext[arc])
            {
                var other = _arcHead[arc];
                if (_height[other] < 0 && _residual[arc ^ 1] > 0)
                {
                    _height[other] = _height[vertex] + 1;
                    _queue[tail++] = other;
                }
            }
        }
        for (var vertex = 0; vertex < vertices; vertex++)
        {
            if (_height[vertex] < 0)
                _height[vertex] = vertices;
            _currentArc[vertex] = _firstArc[vertex];
        }
    }

    // The sink side of the cut: every vertex that can still reach the sink through residual arcs, which the same
    // breadth-first search as the starting heights finds (a vertex that cannot reach it gets the vertex count).
    private void MarkSinkSide(int sink, int vertices)
    {
        SetExactHeights(sink, vertices);
        for (var vertex = 0; vertex < vertices; vertex++)
            _onSinkSide[vertex] = _height[vertex] < vertices;
    }

    private void AddArcPair(int from, int to, long capacity, long reverseCapacity)
    {
        if (_arcCount + 2 > _arcHead.Length)
        {
            var length = Math.Max(16, _arcHead.Length * 2);
            Array.Resize(ref _arcHead, length);
            Array.Resize(ref _arcNext, length);
            Array.Resize(ref _residual, length);
        }
        AddArc(from, to, capacity);
        AddArc(to, from, reverseCapacity);
    }

    private void AddArc(int from, int to, long capacity)
    {
        _arcHead[_arcCount] = to;
        _residual[_arcCount] = capacity;
        _arcNext[_arcCount] = _firstArc[from];
        _firstArc[from] = _arcCount;
        _arcCount++;
    }

    private void EnsureBuilding()
    {
        if (_solved)
            throw new InvalidOperationException("This graph was solved already; call Reset before building another.");
    }

    private void CheckNode(int node, string name)
    {
        if ((uint)node >= (uint)_nodeCount)
            throw new ArgumentOutOfRangeException(name, node, Invariant($"{name} must be a node in [0, {_nodeCount}) (was {node})."));
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
