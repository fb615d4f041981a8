using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using PluggableEcho.Abstractions;
using PluggableEcho.Host.Buffers;
using PluggableEcho.Host.Networking;
using PluggableEcho.Host.Networking.Framing;
using PluggableEcho.Host.Pipeline;

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

        public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
        {
            Calls++;
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
