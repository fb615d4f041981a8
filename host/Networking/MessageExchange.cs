using System.Diagnostics;
using System.Net;
using PluggableEcho.Host.Buffers;
using PluggableEcho.Host.Networking.Framing;
using PluggableEcho.Host.Pipeline;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// One client's conversation without the socket: bytes in, framed replies out. It cuts the
/// input into messages, runs each through the pipeline, frames the replies, and applies the
/// too-long policy. It keeps only an unfinished message, and between messages nothing but what
/// stateful steps keep for the client (a pipeline without any keeps nothing). Given a turn
/// (<see cref="ExchangeContext.TurnTicks"/>), it stops running messages when the turn is over
/// and keeps the rest of the input as its <see cref="HasBacklog">backlog</see>, so that one
/// client's flood of messages through slow steps cannot hold its loop's other clients.
/// </summary>
internal sealed class MessageExchange
{
    // A turn's first run of lines reaches this far (a few short lines); each next one twice as far.
    private const int FirstRunReach = 1024;

    private readonly ByteBuffer _unfinished;
    private ExchangeContext _context; // A reload moves it on, at a message boundary.
    private bool _letGo; // Of its generation, once closed.
    private long _turnEnds = long.MaxValue; // When the current turn is over (Stopwatch ticks).
    private PipelineSession? _session; // What stateful steps keep for this client: opened at its first message.

    // Bytes still to drop of a too-long message being skipped; -1 while its end is not known yet.
    private long _skipping;

    /// <param name="remoteEndPoint">The client, for the steps that want to know it; none in a transcript.</param>
    public MessageExchange(ExchangeContext context, EndPoint? remoteEndPoint = null)
    {
        _context = context;
        _unfinished = new ByteBuffer(context.Budget, context.MaxFrameBytes);
        Client = remoteEndPoint;
        context.Generation?.Hold();
    }

    /// <summary>The settings and pipeline its messages run through now.</summary>
    public ExchangeContext Context => _context;

    /// <summary>Set once no further input will be taken: a too-long message under the close
    /// policy, an unframeable one, or the pipeline asked to close. The replies queued so far
    /// still go out; the connection is then closed.</summary>
    public bool Finished { get; private set; }

    /// <summary>The client, as steps see it: the socket's peer, or the one a PROXY header names
    /// (set before the first message).</summary>
    public EndPoint? Client { get; set; }

    /// <summary>It yielded its turn: whole messages may wait in what it keeps, for <see cref="Continue"/>.</summary>
    public bool HasBacklog { get; private set; }

    /// <summary>Whether a message has begun and not ended, or a backlog waits: the input is not
    /// known to be at a message boundary.</summary>
    public bool InMidMessage => !_unfinished.IsEmpty || _skipping != 0;

    /// <summary>How many messages it has taken whole (or skipped) so far: a message still
    /// unfinished after a read that took one is a new message.</summary>
    public long WholeMessages { get; private set; }

    /// <summary>Why it finished on its own terms; null while it has not, or when it was abandoned.</summary>
    public CloseReason? FinishReason { get; private set; }

    /// <summary>What the client's unfinished message (or backlog) holds: its buffer's size.</summary>
    public int HeldBytes => _unfinished.Capacity;

    /// <summary>The bytes of its unfinished message (or backlog).</summary>
    public int UnfinishedBytes => _unfinished.Length;

    /// <summary>Takes bytes the client sent and appends the replies they complete to <paramref name="output"/>.</summary>
    public void Receive(ReadOnlySpan<byte> received, ByteBuffer output)
    {
        while (!Finished)
        {
            if (_skipping != 0)
            {
                received = SkipTooLong(received);
            }

            if (_unfinished.IsEmpty)
            {
                int replied = ReplyToWholeMessages(received, knownIncomplete: 0, output, _turnEnds);
                if (replied < received.Length)
                {
                    _unfinished.Write(received[replied..]);
                }

                return;
            }

            // Of a backlog nothing is known: it may hold whole messages, and all of it is kept.
            // Else only what the unfinished message needs is added, and no more than it can still
            // take: if its end is not within that, it is too long anyway, and the buffer never
            // holds more than a frame. What follows its end is framed where it was received.
            int knownIncomplete = HasBacklog ? 0 : _unfinished.Length;
            int taken = HasBacklog
                ? received.Length
                : Math.Min(received.Length, Math.Max(1, Math.Min(_context.Framer.NeededToComplete(_unfinished.WrittenSpan, received), _context.MaxFrameBytes - _unfinished.Length)));
            HasBacklog = false; // Until the turn ends again.
            _unfinished.Write(received[..taken]);
            ReplyToWhatIsKept(knownIncomplete, output, _turnEnds);
            received = received[taken..];
            if (received.IsEmpty)
            {
                return;
            }

            if (HasBacklog)
            {
                _unfinished.Write(received); // Its turn is over: the rest waits with the backlog.
                return;
            }
        }
    }

    /// <summary>Starts a turn: messages run from now until it is over (once per readiness event,
    /// however many reads it takes). Without one, or without a turn length, they run until the
    /// input given is used up.</summary>
    public void BeginTurn() => _turnEnds = _context.TurnTicks > 0 ? Stopwatch.GetTimestamp() + _context.TurnTicks : long.MaxValue;

    /// <summary>Runs what is left of the backlog until the turn is over, if there is one.</summary>
    public void Continue(ByteBuffer output)
    {
        if (HasBacklog && !Finished)
        {
            HasBacklog = false;
            ReplyToWhatIsKept(knownIncomplete: 0, output, _turnEnds);
        }
    }

    private void ReplyToWhatIsKept(int knownIncomplete, ByteBuffer output, long turnEnds)
    {
        int used = ReplyToWholeMessages(_unfinished.WrittenSpan, knownIncomplete, output, turnEnds);
        if (used == _unfinished.Length)
        {
            _unfinished.Release();
        }
        else
        {
            _unfinished.Consume(used);
            if (!HasBacklog)
            {
                _unfinished.Trim(); // A read's worth was kept for the backlog; a partial message is left.
            }
        }
    }

    /// <summary>The client will send no more: a last unterminated message still gets its reply;
    /// one that cannot end there (half a length-prefixed frame) gets a notice instead.</summary>
    public void EndInput(ByteBuffer output)
    {
        if (HasBacklog && !Finished)
        {
            HasBacklog = false; // The whole messages first, all of them: nothing more will come.
            ReplyToWhatIsKept(knownIncomplete: 0, output, turnEnds: long.MaxValue);
        }

        if (!_unfinished.IsEmpty && !Finished && _skipping == 0)
        {
            if (_unfinished.Length > _context.Limits.MaxMessageBytes)
            {
                _context.Counters.MessagesOversize++;
                FinishReason = CloseReason.Oversize;
                output.Write(_context.Notices.MessageTooLong); // The framer's slack for a '\r' is no message's.
            }
            else if (_context.Framer.EndOfInputEndsMessage)
            {
                Reply(_unfinished.WrittenSpan, [], output);
            }
            else
            {
                output.Write(_context.Notices.CutOff);
            }
        }

        Release();
    }

    /// <summary>The unfinished message took too long: the client is told, and no more input is taken.</summary>
    public void TimeOut(ByteBuffer output) => EndWith(output, _context.Notices.MessageTimeout, CloseReason.MessageTimeout);

    /// <summary>Its loop must give memory back: the client is told, its unfinished input dropped.</summary>
    public void Shed(ByteBuffer output) => EndWith(output, _context.Notices.ServerBusy, CloseReason.ServerBusy);

    /// <summary>The client may not be served (its address is over max_connections_per_ip): it is
    /// told, before any message, and no input is taken.</summary>
    public void TurnAway(ByteBuffer output) => EndWith(output, _context.Notices.MaxConnectionsPerIpReached, CloseReason.MaxConnectionsPerIp);

    /// <summary>Takes no more input: what comes is dropped.</summary>
    public void Abandon()
    {
        Finished = true;
        Release();
    }

    /// <summary>Gives back the unfinished message's buffer, and what the steps kept for this client.</summary>
    public void Release()
    {
        HasBacklog = false;
        _unfinished.Release();
        _session?.Dispose();
        _session = null;
    }

    /// <summary>The connection closed: what was kept is given back, and its hold on the generation.</summary>
    public void Close()
    {
        Release();
        if (!_letGo)
        {
            _letGo = true;
            _context.Generation?.LetGo();
        }
    }

    /// <summary>Between two messages, with nothing kept: moves to the settings a reload brought
    /// if its move is due (a sweep of the idle connections at the drain timeout, say).</summary>
    public void MoveOnIfIdle()
    {
        if (!Finished && !HasBacklog && !InMidMessage && !_letGo && _context.Superseded)
        {
            MoveOnIfDue();
        }
    }

    /// <summary>At a message boundary, its settings superseded by a reload: once the move is due,
    /// later messages run through the new pipeline, and what the old one's steps kept for this
    /// client is disposed.</summary>
    private void MoveOnIfDue()
    {
        ExchangeContext next = _context.Current(Environment.TickCount64);
        if (ReferenceEquals(next, _context) || (next.Generation is { } generation && !generation.TryHold()))
        {
            return; // Not due; or the listener's newest settings ended already (it was removed): stay.
        }

        ExchangeContext old = _context;
        _session?.Dispose(); // Before its pipeline can be disposed with its generation.
        _session = null;
        _context = next;
        old.Generation?.LetGo();
    }

    /// <param name="turnEnds">When to yield (<see cref="Stopwatch"/> ticks): looked at after 1, 3,
    /// 7, 15, 31 and 63 messages, then every 64, so that a turn of slow steps overruns by at most
    /// its own length, and fast ones pay one comparison per message. A run of lines counts as its
    /// lines, and reaches at most twice as far as the run before it, so that it too takes no
    /// longer than what came before it in the turn.</param>
    private int ReplyToWholeMessages(ReadOnlySpan<byte> input, int knownIncomplete, ByteBuffer output, long turnEnds)
    {
        int used = 0;
        int messages = 0;
        int nextLook = turnEnds == long.MaxValue ? int.MaxValue : 2; // Before the 2nd, 4th, … 64th message, then every 64th.
        int runReach = turnEnds == long.MaxValue ? int.MaxValue : FirstRunReach;
        int runsFrom = 0; // A run a step threw on goes line by line, and no run starts inside it.
        while (!Finished && _skipping == 0 && used < input.Length)
        {
            if (++messages >= nextLook)
            {
                nextLook = messages < 64 ? messages * 2 : messages + 64;
                if (Stopwatch.GetTimestamp() >= turnEnds)
                {
                    HasBacklog = true;
                    return used;
                }
            }

            if (knownIncomplete == 0 && _context.Superseded)
            {
                MoveOnIfDue(); // No message is split between two pipelines; until a reload, one field read.
            }

            ReadOnlySpan<byte> rest = input[used..];

            // Not while an unfinished line waits at the front: that one is known to be alone.
            if (_context.RunsLines && knownIncomplete == 0 && used >= runsFrom)
            {
                int reach = (int)Math.Min(runReach, _context.Limits.MaxMessageBytes + 1L);
                runReach = runReach > int.MaxValue / 2 ? int.MaxValue : runReach * 2;
                if (TryReplyToRun(rest, reach, output, out int run, out int lines))
                {
                    used += run;
                    messages += lines - 1;
                    continue;
                }

                runsFrom = used + run;
            }

            switch (_context.Framer.TryReadFrame(rest, knownIncomplete, _context.Limits.MaxMessageBytes, out Frame frame))
            {
                case FrameStatus.Incomplete:
                    return used;
                case FrameStatus.Whole:
                    WholeMessages++;
                    ReadOnlySpan<byte> framed = rest[..frame.Length];
                    Reply(framed.Slice(frame.MessageStart, frame.MessageLength), framed[frame.MessageEnd..], output);
                    used += frame.Length;
                    break;
                case FrameStatus.TooLong when _context.Limits.OnOversize == OversizePolicy.Skip:
                    _context.Counters.MessagesOversize++;
                    output.Write(_context.Notices.MessageTooLong);
                    NetworkLog.MessageTooLong(_context.Logger, _context.Limits.MaxMessageBytes, OversizePolicy.Skip);
                    if (frame.Length >= 0 && frame.Length <= rest.Length)
                    {
                        used += frame.Length;
                        WholeMessages++;
                        break;
                    }

                    _skipping = frame.Length < 0 ? -1 : frame.Length - rest.Length;
                    return input.Length;
                case FrameStatus.TooLong:
                    _context.Counters.MessagesOversize++;
                    Finish(output, _context.Notices.MessageTooLong, CloseReason.Oversize);
                    NetworkLog.MessageTooLong(_context.Logger, _context.Limits.MaxMessageBytes, OversizePolicy.Close);
                    return input.Length;
                default:
                    Finish(output, _context.Notices.Malformed, CloseReason.Malformed);
                    NetworkLog.MalformedFrame(_context.Logger);
                    return input.Length;
            }

            knownIncomplete = 0;
        }

        return used;
    }

    /// <summary>
    /// Replies to the whole lines at the front in one pass through a linewise pipeline: what one
    /// pass per line would reply, at the cost of one. The run goes to the steps without its last
    /// line ending, which is written after their reply, so that each line's reply is followed by
    /// its own ending and nothing else, as the per-line path has it.
    /// </summary>
    /// <param name="reach">How far the run may reach: at most max_message_bytes + 1, so that no
    /// line in it is too long.</param>
    /// <param name="run">The run's bytes: 0 when fewer than two lines are within reach (the path of
    /// every message does as well), else the bytes taken or, if a step threw, to go line by line.</param>
    /// <returns>Whether the lines were answered.</returns>
    private bool TryReplyToRun(ReadOnlySpan<byte> input, int reach, ByteBuffer output, out int run, out int lines)
    {
        run = LineFramer.FindRun(input, reach, out lines);
        if (lines < 2)
        {
            run = 0;
            return false;
        }

        ReadOnlySpan<byte> lastEnding = input[run - 2] == '\r' ? input[(run - 2)..run] : input[(run - 1)..run];
        if (!_context.Pipeline.TryRunLines(input[..(run - lastEnding.Length)], output))
        {
            return false;
        }

        output.Write(lastEnding);
        WholeMessages += lines;
        _context.Counters.MessagesReceived += lines;
        _context.Counters.MessagesReplied += lines;
        return true;
    }

    /// <summary>Drops the front of <paramref name="received"/> that still belongs to a skipped message.</summary>
    private ReadOnlySpan<byte> SkipTooLong(ReadOnlySpan<byte> received)
    {
        if (_skipping > 0)
        {
            int dropped = (int)Math.Min(_skipping, received.Length);
            _skipping -= dropped;
            WholeMessages += _skipping == 0 ? 1 : 0;
            return received[dropped..];
        }

        // Its end was not known: find it without a length limit.
        if (_context.Framer.TryReadFrame(received, 0, int.MaxValue, out Frame end) == FrameStatus.Whole)
        {
            _skipping = 0;
            WholeMessages++;
            return received[end.Length..];
        }

        return [];
    }

    private void Reply(ReadOnlySpan<byte> message, ReadOnlySpan<byte> ending, ByteBuffer output)
    {
        IFramer framer = _context.Framer;
        int start = output.Length;
        output.Reserve(framer.ReplyHeaderLength);
        _session ??= _context.Pipeline.OpenSession(Client);
        ListenerCounters counters = _context.Counters;
        counters.MessagesReceived++;
        switch (_context.Pipeline.Run(message, output, _session))
        {
            case MessageOutcome.Reply:
                counters.MessagesReplied++;
                int headerEnd = start + framer.ReplyHeaderLength;
                framer.WriteReplyHeader(output.WrittenRange(start, framer.ReplyHeaderLength), output.Length - headerEnd);
                output.Write(ending);
                break;
            case MessageOutcome.Drop:
                counters.MessagesDropped++;
                output.Truncate(start);
                break;
            default:
                output.Truncate(start);
                Finish(output, [], CloseReason.ErrorPolicy);
                break;
        }
    }

    /// <summary>Ends the conversation on the server's side: the client is told why, and what was
    /// kept for it is given back.</summary>
    private void EndWith(ByteBuffer output, ReadOnlySpan<byte> notice, CloseReason reason)
    {
        Finish(output, notice, reason);
        Release();
    }

    private void Finish(ByteBuffer output, ReadOnlySpan<byte> notice, CloseReason reason)
    {
        output.Write(notice);
        Finished = true;
        FinishReason = reason;
    }
}
