using NfmGen.Mixing.PuzzleMix;

namespace NfmGen.Tests.Mixing.PuzzleMix;

public class MaxFlowGraphTests
{
    /// <summary>A small random network, kept as lists so that brute force can price every cut.</summary>
    private sealed record Network(int Nodes, long[] FromSource, long[] ToSink, List<(int From, int To, long Capacity, long Reverse)> Edges)
    {
        public static Network Random(Random random, int nodes, int edges, int maxCapacity)
        {
            var fromSource = new long[nodes];
            var toSink = new long[nodes];
            for (var node = 0; node < nodes; node++)
            {
                // Many zeros, so that some nodes hang on one terminal only, or none.
                fromSource[node] = random.Next(3) == 0 ? 0 : random.Next(maxCapacity + 1);
                toSink[node] = random.Next(3) == 0 ? 0 : random.Next(maxCapacity + 1);
            }
            var list = new List<(int, int, long, long)>();
            for (var edge = 0; edge < edges && nodes > 1; edge++)
            {
                var from = random.Next(nodes);
                var to = (from + 1 + random.Next(nodes - 1)) % nodes;
                list.Add((from, to, random.Next(maxCapacity + 1), random.Next(2) == 0 ? 0 : random.Next(maxCapacity + 1)));
            }
            return new Network(nodes, fromSource, toSink, list);
        }

        public void BuildInto(MaxFlowGraph graph)
        {
            graph.Reset(Nodes);
            for (var node = 0; node < Nodes; node++)
                graph.AddTerminalCapacities(node, FromSource[node], ToSink[node]);
            foreach (var (from, to, capacity, reverse) in Edges)
                graph.AddEdge(from, to, capacity, reverse);
        }

        /// <summary>The capacity of the cut whose source side is the bit set <paramref name="sourceSide"/>.</summary>
        public long CutCapacity(int sourceSide)
        {
            bool OnSource(int node) => (sourceSide >> node & 1) == 1;
            long capacity = 0;
            for (var node = 0; node < Nodes; node++)
                capacity += OnSource(node) ? ToSink[node] : FromSource[node];
            foreach (var (from, to, forward, reverse) in Edges)
            {
                if (OnSource(from) && !OnSource(to))
                    capacity += forward;
                if (OnSource(to) && !OnSource(from))
                    capacity += reverse;
            }
            return capacity;
        }

        public long BruteForceMinimumCut() =>
            Enumerable.Range(0, 1 << Nodes).Min(CutCapacity);
    }

    private static int SourceSide(MaxFlowGraph graph, int nodes) =>
        Enumerable.Range(0, nodes).Where(graph.IsOnSourceSide).Sum(node => 1 << node);

    [Fact]
    public void The_flow_equals_the_brute_force_minimum_cut_and_the_cut_found_has_that_capacity()
    {
        var random = new Random(20260101);
        var graph = new MaxFlowGraph();
        for (var trial = 0; trial < 400; trial++)
        {
            var nodes = 1 + random.Next(10);
            var network = Network.Random(random, nodes, edges: random.Next(3 * nodes), maxCapacity: random.Next(2) == 0 ? 5 : 1000);
            network.BuildInto(graph);

            var flow = graph.ComputeMaxFlow();

            var minimum = network.BruteForceMinimumCut();
            Assert.True(flow == minimum, $"trial {trial}: flow {flow}, brute-force minimum cut {minimum}");
            Assert.Equal(minimum, network.CutCapacity(SourceSide(graph, nodes)));
        }
    }

    [Fact]
    public void A_chain_carries_its_narrowest_edge_and_cuts_there()
    {
        // source -9-> 0 -4-> 1 -2-> 2 -7-> 3 -9-> sink: the bottleneck is 1 → 2.
        var graph = new MaxFlowGraph(4);
        graph.AddTerminalCapacities(0, fromSource: 9, toSink: 0);
        graph.AddTerminalCapacities(3, fromSource: 0, toSink: 9);
        graph.AddEdge(0, 1, 4, 0);
        graph.AddEdge(1, 2, 2, 0);
        graph.AddEdge(2, 3, 7, 0);

        Assert.Equal(2, graph.ComputeMaxFlow());
        Assert.Equal([true, true, false, false], Enumerable.Range(0, 4).Select(graph.IsOnSourceSide));
    }

    [Fact]
    public void Capacities_add_up_over_repeated_calls()
    {
        var graph = new MaxFlowGraph(2);
        graph.AddTerminalCapacities(0, 3, 0);
        graph.AddTerminalCapacities(0, 4, 0);
        graph.AddTerminalCapacities(1, 0, 100);
        graph.AddEdge(0, 1, 5, 0);
        graph.AddEdge(0, 1, 5, 0);

        Assert.Equal(7, graph.ComputeMaxFlow());
    }

    [Fact]
    public void A_reset_graph_solves_like_a_new_one()
    {
        var random = new Random(7);
        var reused = new MaxFlowGraph();
        for (var trial = 0; trial < 50; trial++)
        {
            // Alternate large and small graphs, so that a reset must clear what a larger graph left in the buffers.
            var nodes = trial % 2 == 0 ? 12 : 3;
            var network = Network.Random(random, nodes, edges: 2 * nodes, maxCapacity: 50);
            network.BuildInto(reused);
            var fresh = new MaxFlowGraph();
            network.BuildInto(fresh);

            Assert.Equal(fresh.ComputeMaxFlow(), reused.ComputeMaxFlow());
            Assert.Equal(SourceSide(fresh, nodes), SourceSide(reused, nodes));
        }
    }

    [Fact]
    public void An_empty_graph_and_isolated_nodes_carry_no_flow_and_stay_on_the_source_side()
    {
        Assert.Equal(0, new MaxFlowGraph(0).ComputeMaxFlow());
        var graph = new MaxFlowGraph(2);
        Assert.Equal(0, graph.ComputeMaxFlow());
        Assert.True(graph.IsOnSourceSide(0));
        Assert.True(graph.IsOnSourceSide(1));
    }

    [Fact]
    public void Negative_capacities_are_refused_with_the_value()
    {
        var graph = new MaxFlowGraph(2);
        var edge = Assert.Throws<ArgumentOutOfRangeException>(() => graph.AddEdge(0, 1, 3, -2));
        Assert.Contains("reverseCapacity must be >= 0 (was -2)", edge.Message);
        var terminal = Assert.Throws<ArgumentOutOfRangeException>(() => graph.AddTerminalCapacities(1, -5, 0));
        Assert.Contains("fromSource must be >= 0 (was -5)", terminal.Message);
    }

    [Fact]
    public void Nodes_outside_the_graph_and_self_loops_are_refused_with_the_value()
    {
        var graph = new MaxFlowGraph(3);
        Assert.Contains("to must be a node in [0, 3) (was 3)", Assert.Throws<ArgumentOutOfRangeException>(() => graph.AddEdge(0, 3, 1, 1)).Message);
        Assert.Contains("node must be a node in [0, 3) (was -1)", Assert.Throws<ArgumentOutOfRangeException>(() => graph.AddTerminalCapacities(-1, 1, 1)).Message);
        Assert.Contains("two different nodes (both were 2)", Assert.Throws<ArgumentOutOfRangeException>(() => graph.AddEdge(2, 2, 1, 1)).Message);
        Assert.Contains("nodeCount must be >= 0 (was -4)", Assert.Throws<ArgumentOutOfRangeException>(() => graph.Reset(-4)).Message);
    }

    [Fact]
    public void The_cut_is_read_after_solving_and_a_solved_graph_is_reset_before_reuse()
    {
        var graph = new MaxFlowGraph(1);
        Assert.Throws<InvalidOperationException>(() => graph.IsOnSourceSide(0));
        graph.ComputeMaxFlow();
        Assert.Throws<InvalidOperationException>(() => graph.AddEdge(0, 0, 1, 1));
        Assert.Throws<InvalidOperationException>(() => graph.ComputeMaxFlow());
        graph.Reset(1);
        Assert.Equal(0, graph.ComputeMaxFlow());
    }
}
