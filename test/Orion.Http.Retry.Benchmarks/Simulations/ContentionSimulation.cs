namespace Orion.Http.Retry.Benchmarks.Simulations;

/// <summary>
/// N clients each update one shared record once, with optimistic concurrency, on a virtual clock.
/// </summary>
/// <remarks>
/// <para>
/// A client reads the record's version, then sends a write that the server applies only when the
/// version is still the one read. A rejected write makes the client wait for its backoff and start
/// again with a new read. Every message (read request, read response, write request, write
/// response) takes its own one-way network latency of |normal(10 ms, 2 ms)|, and the server reads
/// and writes instantly. All clients start at time zero.
/// </para>
/// <para>
/// Work is the number of write calls, as in "Exponential Backoff And Jitter" (AWS Architecture
/// Blog, March 2015); completion time is when the last client receives its successful write.
/// </para>
/// </remarks>
internal static class ContentionSimulation
{
    public static readonly TimeSpan Base = TimeSpan.FromMilliseconds(5);
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(2);
    private const double LatencyMeanMs = 10;
    private const double LatencyDeviationMs = 2;

    /// <summary>Runs one simulation and returns its write calls and completion time.</summary>
    public static RunResult Run(ContentionAlgorithm algorithm, int clientCount, int runSeed)
    {
        var network = new Random(runSeed);
        var clients = new ClientState[clientCount];
        var queue = new EventQueue<Message>();
        for (var i = 0; i < clientCount; i++)
        {
            clients[i] = new ClientState(algorithm.CreateClient(Base, Cap, unchecked((runSeed * 7919) + i)));
            queue.Schedule(Latency(network), new Message(i, Step.ReadAtServer));
        }

        long recordVersion = 0;
        long writeCalls = 0;
        long completionTicks = 0;
        var finished = 0;
        while (queue.TryDequeue(out var message, out var now))
        {
            var client = clients[message.Client];
            switch (message.Step)
            {
                case Step.ReadAtServer:
                    client.VersionRead = recordVersion;
                    queue.Schedule(now + Latency(network), message with { Step = Step.ReadAtClient });
                    break;

                case Step.ReadAtClient:
                    writeCalls++;
                    queue.Schedule(now + Latency(network), message with { Step = Step.WriteAtServer });
                    break;

                case Step.WriteAtServer:
                    client.WriteAccepted = client.VersionRead == recordVersion;
                    if (client.WriteAccepted)
                    {
                        recordVersion++;
                    }

                    queue.Schedule(now + Latency(network), message with { Step = Step.WriteAtClient });
                    break;

                case Step.WriteAtClient:
                    if (client.WriteAccepted)
                    {
                        finished++;
                        completionTicks = now;
                    }
                    else
                    {
                        var wait = client.NextWait();
                        queue.Schedule(now + wait + Latency(network), message with { Step = Step.ReadAtServer });
                    }

                    break;

                default:
                    throw new InvalidOperationException($"Unknown step {message.Step}.");
            }
        }

        if (finished != clientCount)
        {
            throw new InvalidOperationException($"Only {finished} of {clientCount} clients finished.");
        }

        return new RunResult(writeCalls, TimeSpan.FromTicks(completionTicks));
    }

    /// <summary>
    /// Runs every algorithm for each client count, <paramref name="runs"/> times each, and returns
    /// the means. Run r with N clients uses the same seeds for every algorithm.
    /// </summary>
    public static IReadOnlyList<ContentionRow> RunAll(IReadOnlyList<int> clientCounts, int runs)
    {
        var algorithms = ContentionAlgorithm.All;
        var cells = new (double Calls, double CompletionMs)[clientCounts.Count, algorithms.Count];
        var work = clientCounts.SelectMany((_, c) => Enumerable.Range(0, algorithms.Count).Select(a => (c, a))).ToArray();
        Parallel.ForEach(work, item =>
        {
            var (c, a) = item;
            double calls = 0;
            double completionMs = 0;
            for (var run = 0; run < runs; run++)
            {
                var result = Run(algorithms[a], clientCounts[c], unchecked((clientCounts[c] * 1_000_003) + run));
                calls += result.WriteCalls;
                completionMs += result.Completion.TotalMilliseconds;
            }

            cells[c, a] = (calls / runs, completionMs / runs);
        });

        var rows = new List<ContentionRow>();
        for (var c = 0; c < clientCounts.Count; c++)
        {
            var calls = new double[algorithms.Count];
            var completion = new double[algorithms.Count];
            for (var a = 0; a < algorithms.Count; a++)
            {
                (calls[a], completion[a]) = cells[c, a];
            }

            rows.Add(new ContentionRow(clientCounts[c], calls, completion));
        }

        return rows;
    }

    private static long Latency(Random random)
    {
        // Box-Muller transform; 1 - NextDouble() lies in (0, 1], so the logarithm is finite.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        var normal = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        var milliseconds = Math.Abs(LatencyMeanMs + (LatencyDeviationMs * normal));
        return (long)(milliseconds * TimeSpan.TicksPerMillisecond);
    }

    private enum Step
    {
        ReadAtServer,
        ReadAtClient,
        WriteAtServer,
        WriteAtClient,
    }

    private readonly record struct Message(int Client, Step Step);

    private sealed class ClientState(Func<long> nextWait)
    {
        public Func<long> NextWait { get; } = nextWait;

        public long VersionRead { get; set; }

        public bool WriteAccepted { get; set; }
    }
}

/// <summary>The write calls and completion time of one simulation run.</summary>
internal readonly record struct RunResult(long WriteCalls, TimeSpan Completion);

/// <summary>The mean write calls and completion times of every algorithm for one client count.</summary>
internal sealed record ContentionRow(int Clients, double[] MeanWriteCalls, double[] MeanCompletionMs);
