namespace Orion.Http.Retry.Benchmarks.Simulations;

/// <summary>
/// The pending events of a discrete-event simulation, ordered by time and, at equal times, by the
/// order in which they were scheduled, so that a run is deterministic.
/// </summary>
internal sealed class EventQueue<TEvent>
{
    private readonly PriorityQueue<TEvent, (long Time, long Sequence)> _queue = new();
    private long _sequence;

    public int Count => _queue.Count;

    public void Schedule(long timeTicks, TEvent item) => _queue.Enqueue(item, (timeTicks, _sequence++));

    public bool TryDequeue(out TEvent item, out long timeTicks)
    {
        if (_queue.TryDequeue(out item!, out var priority))
        {
            timeTicks = priority.Time;
            return true;
        }

        timeTicks = 0;
        return false;
    }
}
