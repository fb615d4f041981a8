using System.Buffers;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using PluggableEcho.Abstractions;
using PluggableEcho.Host.Buffers;
using PluggableEcho.Host.Pipeline;

namespace PluggableEcho.Tests.Pipeline;

/// <summary>What the pipeline keeps per connection for <see cref="IConnectionTransform"/> steps, and what it costs the others.</summary>
public sealed class PipelineSessionTests
{
    [Test]
    public void A_pipeline_without_connection_steps_keeps_nothing_per_connection()
    {
        using TransformPipeline pipeline = Pipeline(new Shout());

        Assert.That(pipeline.OpenSession(new IPEndPoint(IPAddress.Loopback, 1)), Is.SameAs(PipelineSession.None));
    }

    [Test]
    public void State_is_made_at_a_connections_first_message_and_disposed_when_it_closes()
    {
        var counter = new Counter();
        using TransformPipeline pipeline = Pipeline(new Shout(), counter);
        var client = new IPEndPoint(IPAddress.Loopback, 4242);
        PipelineSession first = pipeline.OpenSession(client);
        PipelineSession second = pipeline.OpenSession(client);

        Assert.That(counter.Opened, Is.Empty, "nothing is made before a message needs it");
        Assert.That(Run(pipeline, "a", first), Is.EqualTo("1 A!"));
        Assert.That(Run(pipeline, "b", first), Is.EqualTo("2 B!"));
        Assert.That(Run(pipeline, "c", second), Is.EqualTo("1 C!"));
        Assert.That(counter.Opened.Select(c => c.RemoteEndPoint), Is.EqualTo(new[] { client, client }));
        Assert.That(counter.Opened[1].Id, Is.GreaterThan(counter.Opened[0].Id));

        first.Dispose();

        Assert.That(counter.Closed, Is.EqualTo(1));
        second.Dispose();
        Assert.That(counter.Closed, Is.EqualTo(2));
    }

    [Test]
    public void A_dropped_message_leaves_no_reply_and_skips_the_later_steps()
    {
        var counter = new Counter();
        using TransformPipeline pipeline = Pipeline(counter, new Shout());
        PipelineSession session = pipeline.OpenSession(null);
        var reply = new ByteBuffer();
        reply.Write("earlier|"u8);

        Assert.That(pipeline.Run("drop me"u8, reply, session), Is.EqualTo(MessageOutcome.Drop));

        Assert.That(Encoding.UTF8.GetString(reply.WrittenSpan), Is.EqualTo("earlier|"));
    }

    [Test]
    public void State_that_cannot_be_made_fails_the_message_and_is_asked_for_again()
    {
        var counter = new Counter { FailNextOpen = true };
        using TransformPipeline pipeline = Pipeline(counter);
        PipelineSession session = pipeline.OpenSession(null);

        Assert.That(Run(pipeline, "a", session), Is.EqualTo("ERR count: no room for a counter"));
        Assert.That(Run(pipeline, "b", session), Is.EqualTo("1 b"));
    }

    [Test]
    public void Without_a_connection_a_connection_step_still_runs_as_a_plain_transform()
    {
        ITransform plain = new Counter();
        var output = new ArrayBufferWriter<byte>();

        plain.Transform("x"u8, output);
        plain.Transform("drop this"u8, output);

        Assert.That(Encoding.UTF8.GetString(output.WrittenSpan), Is.EqualTo("1 x"));
    }

    [Test]
    public void Steady_state_allocates_nothing_per_message_for_connection_steps_either()
    {
        using TransformPipeline pipeline = Pipeline(new Counter(), new Shout());
        PipelineSession session = pipeline.OpenSession(null);
        var reply = new ByteBuffer();
        for (int i = 0; i < 100; i++)
        {
            _ = pipeline.Run("warm up"u8, reply, session);
            reply.Clear();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            _ = pipeline.Run("hello"u8, reply, session);
            reply.Clear();
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    private static TransformPipeline Pipeline(params ITransform[] transforms) =>
        new([.. transforms.Select(t => new PipelineStep(t is Counter ? "count" : "shout", t))], NullLogger<TransformPipeline>.Instance);

    private static string Run(TransformPipeline pipeline, string message, PipelineSession session)
    {
        var reply = new ByteBuffer();
        _ = pipeline.Run(Encoding.UTF8.GetBytes(message), reply, session);
        return Encoding.UTF8.GetString(reply.WrittenSpan);
    }

    private sealed class Shout : ITransform
    {
        public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
        {
            Span<byte> upper = output.GetSpan(message.Length + 1);
            System.Text.Ascii.ToUpper(message, upper, out int written);
            upper[written] = (byte)'!';
            output.Advance(written + 1);
        }
    }

    /// <summary>Numbers each connection's messages; drops those that start with "drop".</summary>
    private sealed class Counter : IConnectionTransform
    {
        public List<ConnectionInfo> Opened { get; } = [];

        public int Closed { get; private set; }

        public bool FailNextOpen { get; set; }

        public object? CreateConnectionState(ConnectionInfo connection)
        {
            if (FailNextOpen)
            {
                FailNextOpen = false;
                throw new InvalidOperationException("no room for a counter");
            }

            Opened.Add(connection);
            return new Count(this);
        }

        public TransformResult Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output, object? connectionState)
        {
            if (message.StartsWith("drop"u8))
            {
                output.Write("half-written"u8);
                return TransformResult.Drop;
            }

            var count = (Count)connectionState!;
            count.Value++;
            Span<byte> span = output.GetSpan(message.Length + 12);
            _ = count.Value.TryFormat(span, out int digits, default, System.Globalization.CultureInfo.InvariantCulture);
            span[digits] = (byte)' ';
            message.CopyTo(span[(digits + 1)..]);
            output.Advance(digits + 1 + message.Length);
            return TransformResult.Continue;
        }

        private sealed class Count(Counter owner) : IDisposable
        {
            public int Value { get; set; }

            public void Dispose() => owner.Closed++;
        }
    }
}
