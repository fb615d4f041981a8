using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using PluggableEcho.Abstractions;
using PluggableEcho.Host.Buffers;
using PluggableEcho.Host.Networking;
using PluggableEcho.Host.Networking.Framing;
using PluggableEcho.Host.Pipeline;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Networking;

/// <summary>
/// Runs of whole lines through a linewise pipeline in one call: the replies, the counts and the
/// failures are those of one call per line, whatever the cuts and the limits.
/// </summary>
public sealed class LineRunTests
{
    [Test]
    public void A_read_of_many_lines_is_one_call_with_the_reply_to_each_line()
    {
        var upper = new Upper();
        using var pipeline = Pipeline(upper);
        var context = new ExchangeContext(LineFramer.Instance, pipeline, new ConnectionLimits(), NullLogger.Instance);
        var exchange = new MessageExchange(context);
        var output = new ByteBuffer();
        string input = string.Concat(Enumerable.Range(0, 100).Select(i => i % 3 == 0 ? $"line {i}\r\n" : $"line {i}\n"));

        exchange.Receive(Encoding.ASCII.GetBytes(input + "unfini"), output);

        Assert.That(Encoding.ASCII.GetString(output.WrittenSpan), Is.EqualTo(input.ToUpperInvariant()));
        Assert.That(upper.Calls, Is.EqualTo(1));
        Assert.That((exchange.WholeMessages, context.Counters.MessagesReceived, context.Counters.MessagesReplied), Is.EqualTo((100L, 100L, 100L)));
        Assert.That(exchange.UnfinishedBytes, Is.EqualTo(6));
    }

    [Test]
    public void A_pipeline_is_linewise_only_when_every_step_is_and_none_keeps_state_per_connection()
    {
        Assert.That(Linewise(), Is.True, "no steps: the lines come back as they are");
        Assert.That(Linewise(new Upper()), Is.True);
        Assert.That(Linewise(new Upper(), new Upper()), Is.True);
        Assert.That(Linewise(new Upper(), new PlainUpper()), Is.False);
        Assert.That(Linewise(new StatefulLinewise()), Is.False);

        static bool Linewise(params ITransform[] transforms)
        {
            using TransformPipeline pipeline = Pipeline(transforms);
            return pipeline.IsLinewise;
        }
    }

    /// <summary>The same transform, declared linewise or not: the same replies and counts for
    /// lines of every length around the limit, under both oversize policies, at random cuts.</summary>
    [Test]
    public void Random_cuts_give_the_same_replies_and_counts_with_runs_as_one_call_per_line([Values] bool skip)
    {
        var random = new Random(11);
        var limits = new ConnectionLimits { MaxMessageBytes = 12, OnOversize = skip ? OversizePolicy.Skip : OversizePolicy.Close };
        using TransformPipeline linewise = Pipeline(new Upper(), new Upper());
        using TransformPipeline perLine = Pipeline(new Upper(), new PlainUpper());
        for (int round = 0; round < 300; round++)
        {
            string input = string.Concat(Enumerable.Range(0, random.Next(1, 40)).Select(_ =>
                new string('a', random.Next(0, 16)) + (random.Next(3) == 0 ? "\r\n" : "\n")));
            byte[] bytes = Encoding.ASCII.GetBytes(input + new string('z', random.Next(0, 4)));
            var cuts = new List<int>();
            for (int at = 0; at < bytes.Length; at += cuts[^1])
            {
                cuts.Add(Math.Min(random.Next(1, 120), bytes.Length - at));
            }

            Assert.That(Talk(linewise, limits, bytes, cuts), Is.EqualTo(Talk(perLine, limits, bytes, cuts)), $"round {round}: {input}");
        }
    }

    /// <summary>Cuts and turns so short that every look at the clock yields: the replies are
    /// still those of the whole input at once, each once, in order.</summary>
    [Test]
    public void Random_cuts_and_short_turns_give_the_replies_of_the_whole_input([Values] bool skip)
    {
        var random = new Random(12);
        var limits = new ConnectionLimits { MaxMessageBytes = 40, OnOversize = skip ? OversizePolicy.Skip : OversizePolicy.Close };
        using TransformPipeline pipeline = Pipeline(new Upper());
        for (int round = 0; round < 300; round++)
        {
            string input = string.Concat(Enumerable.Range(0, random.Next(1, 200)).Select(_ =>
                new string('a', random.Next(0, 30)) + (random.Next(3) == 0 ? "\r\n" : "\n")));
            byte[] bytes = Encoding.ASCII.GetBytes(input);
            string whole = Run(bytes, [bytes.Length], TimeSpan.Zero);
            var cuts = new List<int>();
            for (int at = 0; at < bytes.Length; at += cuts[^1])
            {
                cuts.Add(Math.Min(random.Next(1, 2000), bytes.Length - at));
            }

            Assert.That(Run(bytes, cuts, TimeSpan.FromTicks(1)), Is.EqualTo(whole), $"round {round}");
        }

        string Run(byte[] bytes, List<int> pieces, TimeSpan turn) =>
            ExchangeDriver.Talk(new ExchangeContext(LineFramer.Instance, pipeline, limits, NullLogger.Instance, turn, new BufferBudget(long.MaxValue)), bytes, pieces);
    }

    [Test]
    public void A_step_that_throws_in_a_run_fails_its_line_alone_under_its_policy()
    {
        using TransformPipeline linewise = Pipeline(new Upper { FailOn = "boom" });
        using TransformPipeline perLine = Pipeline(new PlainUpper { FailOn = "boom" });
        byte[] bytes = "one\ntwo\nboom\nthree\r\n"u8.ToArray();

        (string Replies, long, long, long) withRuns = Talk(linewise, new ConnectionLimits(), bytes, [bytes.Length]);

        Assert.That(withRuns, Is.EqualTo(Talk(perLine, new ConnectionLimits(), bytes, [bytes.Length])));
        Assert.That(withRuns.Replies, Is.EqualTo("ONE\nTWO\nERR upper: no boom\nTHREE\r\n"));
        Assert.That(linewise.Failures.Single().Failures, Is.EqualTo(1), "the run's failure is not counted: the line's is");
    }

    /// <summary>After a run fails, its lines go one by one, and no run is tried again inside it:
    /// a failing line costs one failed run, not one per line before it.</summary>
    [Test]
    public void A_failed_run_is_not_tried_again_line_after_line()
    {
        var upper = new Upper { FailOn = "boom" };
        using TransformPipeline pipeline = Pipeline(upper);
        byte[] bytes = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 200).Select(i => $"line {i}\n")) + "boom\n");

        Talk(pipeline, new ConnectionLimits(), bytes, [bytes.Length]);

        Assert.That(upper.Calls, Is.EqualTo(1 + 201), "the run, then each of its lines");
    }

    /// <summary>The run goes to the steps without its last ending: a step whose reply to an empty
    /// input is not empty (which the promise allows) still answers each line once.</summary>
    [Test]
    public void A_step_that_answers_an_empty_line_with_text_gets_no_empty_line_after_the_run()
    {
        using TransformPipeline linewise = Pipeline(new Upper { Empty = "-" });
        using TransformPipeline perLine = Pipeline(new PlainUpper { Empty = "-" });
        byte[] bytes = "x\n\ny\r\n\r\n"u8.ToArray();

        (string Replies, long, long, long) withRuns = Talk(linewise, new ConnectionLimits(), bytes, [bytes.Length]);

        Assert.That(withRuns, Is.EqualTo(Talk(perLine, new ConnectionLimits(), bytes, [bytes.Length])));
        Assert.That(withRuns.Replies, Is.EqualTo("X\n-\nY\r\n-\r\n"));
    }

    /// <summary>With a turn, runs count their lines and grow only as the turn goes on: a flood
    /// of lines through a slow linewise step yields its turn, and every reply comes once, in order.</summary>
    [Test]
    public void Runs_through_a_slow_step_yield_the_turn_and_the_backlog_is_answered_turn_after_turn()
    {
        using TransformPipeline pipeline = Pipeline(new Upper { Delay = TimeSpan.FromMicroseconds(20) });
        var exchange = new MessageExchange(new ExchangeContext(LineFramer.Instance, pipeline, new ConnectionLimits(), NullLogger.Instance, TimeSpan.FromMilliseconds(1)));
        var output = new ByteBuffer();
        string input = string.Concat(Enumerable.Range(0, 2000).Select(i => $"m{i}\n"));

        exchange.BeginTurn();
        exchange.Receive(Encoding.ASCII.GetBytes(input), output);
        int turns = 1;
        Assert.That(exchange.HasBacklog, Is.True, "2000 lines of 20 us are more than a 1 ms turn");
        while (exchange.HasBacklog)
        {
            exchange.BeginTurn();
            exchange.Continue(output);
            turns++;
        }

        Assert.That(Encoding.ASCII.GetString(output.WrittenSpan), Is.EqualTo(input.ToUpperInvariant()));
        Assert.That(turns, Is.GreaterThan(5));
    }

    private static (string Replies, long Whole, long Received, long Replied) Talk(TransformPipeline pipeline, ConnectionLimits limits, byte[] bytes, List<int> pieces)
    {
        var context = new ExchangeContext(LineFramer.Instance, pipeline, limits, NullLogger.Instance, budget: new BufferBudget(long.MaxValue));
        var exchange = new MessageExchange(context);
        var output = new ByteBuffer();
        int at = 0;
        foreach (int length in pieces)
        {
            exchange.Receive(bytes.AsSpan(at, length), output);
            at += length;
        }

        exchange.EndInput(output);
        return (Encoding.ASCII.GetString(output.WrittenSpan), exchange.WholeMessages, context.Counters.MessagesReceived, context.Counters.MessagesReplied);
    }

    private static TransformPipeline Pipeline(params ITransform[] transforms) =>
        new([.. transforms.Select(t => new PipelineStep("upper", t))], NullLogger<TransformPipeline>.Instance);

    /// <summary>Upper-cases ASCII, counting its calls; throws on a line that is <see cref="FailOn"/>.</summary>
    private class PlainUpper : ITransform
    {
        public string? FailOn { get; init; }

        public int Calls { get; private set; }

        /// <summary>The reply to an empty input; empty if not set.</summary>
        public string Empty { get; init; } = "";

        /// <summary>How long each line takes.</summary>
        public TimeSpan Delay { get; init; }

        public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
        {
            Calls++;
            if (Delay > TimeSpan.Zero)
            {
                long until = System.Diagnostics.Stopwatch.GetTimestamp() + ((message.Count((byte)'\n') + 1) * (long)(Delay.TotalSeconds * System.Diagnostics.Stopwatch.Frequency));
                while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
                {
                    Thread.SpinWait(10);
                }
            }

            if (Empty.Length > 0)
            {
                // Line by line, as the promise has it: an empty line (a '\r' before its '\n' is its ending's) is answered with Empty.
                string[] lines = Encoding.ASCII.GetString(message).Split('\n');
                string mapped = string.Join('\n', lines.Select(line => line.TrimEnd('\r').Length == 0 ? Empty + line : line.ToUpperInvariant()));
                output.Write(Encoding.ASCII.GetBytes(mapped));
                return;
            }

            if (FailOn is not null && Encoding.ASCII.GetString(message).Split('\n').Any(line => line.TrimEnd('\r') == FailOn))
            {
                throw new InvalidOperationException($"no {FailOn}");
            }

            Ascii.ToUpper(message, output.GetSpan(message.Length), out int written);
            output.Advance(written);
        }
    }

    private sealed class Upper : PlainUpper, ILinewiseTransform;

    /// <summary>Says it is linewise, but keeps state per connection: runs would skip its state.</summary>
    private sealed class StatefulLinewise : ILinewiseTransform, IConnectionTransform
    {
        public object? CreateConnectionState(ConnectionInfo connection) => null;

        public TransformResult Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output, object? connectionState) => TransformResult.Continue;

        public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
        {
        }
    }
}
