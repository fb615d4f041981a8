namespace PluggableEcho.Host.Networking;

/// <summary>
/// The loop's deadlines in a binary min-heap: nothing is looked at while nothing is due, and
/// scheduling or cancelling one costs O(log n). Owners that are often busy (an idle timeout
/// pushed back by every message) keep their own last-activity time and reschedule when the
/// timer fires, rather than move it per message. Loop's thread only.
/// </summary>
internal sealed class TimerQueue
{
    private LoopTimer[] _heap = new LoopTimer[16];
    private int _count;

    public int Count => _count;

    /// <summary>The earliest due time, or <see cref="long.MaxValue"/> when nothing is scheduled.</summary>
    public long NextDue => _count > 0 ? _heap[0].Due : long.MaxValue;

    /// <summary>Schedules the timer, or moves it if it is scheduled already.</summary>
    public void Schedule(LoopTimer timer, long due)
    {
        if (timer.IsScheduled)
        {
            long was = timer.Due;
            timer.Due = due;
            if (due < was)
            {
                Up(timer.Index);
            }
            else
            {
                Down(timer.Index);
            }

            return;
        }

        if (_count == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }

        timer.Due = due;
        Place(timer, _count++);
        Up(timer.Index);
    }

    public void Cancel(LoopTimer timer)
    {
        if (!timer.IsScheduled)
        {
            return;
        }

        int index = timer.Index;
        timer.Index = -1;
        LoopTimer last = _heap[--_count];
        _heap[_count] = null!;
        if (index < _count)
        {
            Place(last, index);
            Up(index);
            Down(last.Index);
        }
    }

    /// <summary>Fires every timer due by <paramref name="now"/>, earliest first. A timer may
    /// schedule itself again from its callback; one due again at once waits for the next call.</summary>
    public void RunDue(long now)
    {
        int fired = 0;
        int limit = _count; // Each timer fires at most once per call.
        while (_count > 0 && _heap[0].Due <= now && fired++ < limit)
        {
            LoopTimer timer = _heap[0];
            Cancel(timer);
            timer.Fire();
        }
    }

    private void Up(int index)
    {
        LoopTimer timer = _heap[index];
        while (index > 0)
        {
            int parent = (index - 1) / 2;
            if (_heap[parent].Due <= timer.Due)
            {
                break;
            }

            Place(_heap[parent], index);
            index = parent;
        }

        Place(timer, index);
    }

    private void Down(int index)
    {
        LoopTimer timer = _heap[index];
        while (true)
        {
            int child = (2 * index) + 1;
            if (child >= _count)
            {
                break;
            }

            if (child + 1 < _count && _heap[child + 1].Due < _heap[child].Due)
            {
                child++;
            }

            if (timer.Due <= _heap[child].Due)
            {
                break;
            }

            Place(_heap[child], index);
            index = child;
        }

        Place(timer, index);
    }

    private void Place(LoopTimer timer, int index)
    {
        _heap[index] = timer;
        timer.Index = index;
    }
}
