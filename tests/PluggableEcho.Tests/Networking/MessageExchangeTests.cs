using System.Buffers;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using PluggableEcho.Abstractions;
using PluggableEcho.Host.Buffers;
using PluggableEcho.Host.Networking;
using PluggableEcho.Host.Networking.Framing;
using PluggableEcho.Host.Pipeline;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Networking;

/// <summary>The conversation without a socket: bytes in, replies out.</summary>
public sealed class MessageExchangeTests
{
    [Test]
    public void The_replies_are_the_same_wherever_the_input_is_cut()
    {
        const string input = "one\r\ntwo\n\nthree\n";
        string whole = Talk(new ConnectionLimits(), input);
        Assert.That(whole, Is.EqualTo("ONE\r\nTWO\n\nTHREE\n"));

        for (int cut = 1; cut < input.Length; cut++)
        {
            for (int second = cut; second < input.Length; second++)
            {
                Assert.That(Talk(new ConnectionLimits(), input[..cut], input[cut..second], input[second..]), Is.EqualTo(whole), $"cut at {cut} and {second}");
            }
        }
    }

    /// <summary>An unfinished frame takes from the next read only what it needs (what its
    /// header says); the frames after it are read where they were received.</summary>
    [Test]
    public void Length_prefixed_replies_are_the_same_wherever_the_input_is_cut()
    {
        byte[] input = [.. new[] { "one", "", "a\nb", new string('x', 300), "two" }.SelectMany(m => LengthPrefix.Prefixed(Encoding.ASCII.GetBytes(m)))];
        string whole = Framed(input.Length);
        Assert.That(whole, Does.Contain("A\nB").And.Contain(new string('X', 300)).And.EndWith("TWO"));

        for (int cut = 1; cut < input.Length; cut++)
        {
            for (int second = cut; second < input.Length; second += 5)
            {
                Assert.That(Framed(cut, second - cut, input.Length - second), Is.EqualTo(whole), $"cut at {cut} and {second}");
            }
        }

        string Framed(params int[] pieces)
        {
            var exchange = new MessageExchange(new ExchangeContext(LengthPrefixedFramer.Instance, new ScriptedPipeline(), new ConnectionLimits(), NullLogger.Instance));
            var output = new ByteBuffer();
            int at = 0;
            foreach (int length in pieces)
            {
                exchange.Receive(input.AsSpan(at, length), output);
                at += length;
            }

            Assert.That(exchange.InMidMessage, Is.False);
            return Encoding.ASCII.GetString(output.WrittenSpan);
        }
    }

    [Test]
    public void What_the_steps_keep_for_a_client_is_opened_once_at_its_first_message()
    {
        var pipeline = new ScriptedPipeline();
        var client = new IPEndPoint(IPAddress.Loopback, 40000);
        var exchange = new MessageExchange(new ExchangeContext(LineFramer.Instance, pipeline, new ConnectionLimits(), NullLogger.Instance), client);
        var output = new ByteBuffer();

        exchange.Receive("unfinished"u8, output);
        Assert.That(pipeline.SessionsOpened, Is.Empty);

        exchange.Receive("\nsecond\n"u8, output);
        Assert.That(pipeline.SessionsOpened, Is.EqualTo(new[] { client }));
    }

    [Test]
    public void What_the_steps_kept_for_a_client_is_disposed_when_its_exchange_is_released()
    {
        var keeper = new KeepsState();
        using var pipeline = new TransformPipeline([new PipelineStep("keeps", keeper)], NullLogger<TransformPipeline>.Instance);
        var exchange = new MessageExchange(new ExchangeContext(LineFramer.Instance, pipeline, new ConnectionLimits(), NullLogger.Instance));
        var output = new ByteBuffer();

        exchange.Receive("a\nb\n"u8, output);
        Assert.That((keeper.Made, keeper.Disposed), Is.EqualTo((1, 0)));

        exchange.Release();
        Assert.That((keeper.Made, keeper.Disposed), Is.EqualTo((1, 1)));
        Assert.That(Text(output), Is.EqualTo("a\nb\n"));
    }

    [Test]
    public void A_last_unterminated_message_is_answered_when_the_input_ends()
    {
        var exchange = new MessageExchange(Context(new ConnectionLimits()));
        var output = new ByteBuffer();

        exchange.Receive("first\nla"u8, output);
        exchange.Receive("st"u8, output);
        exchange.EndInput(output);

        Assert.That(Text(output), Is.EqualTo("FIRST\nLAST"));
    }

    [Test]
    public void Under_the_close_policy_a_too_long_message_finishes_the_exchange_and_later_input_is_ignored()
    {
        var limits = new ConnectionLimits { MaxMessageBytes = 4 };
        var exchange = new MessageExchange(Context(limits));
        var output = new ByteBuffer();

        exchange.Receive("ok\ntoo long\nfine\n"u8, output);
        exchange.Receive("more\n"u8, output);

        Assert.That(exchange.Finished, Is.True);
        Assert.That(Text(output), Is.EqualTo("OK\nERR message longer than 4 bytes\n"));
    }

    [TestCase("ok\ntoo long\nfine\n")]
    [TestCase("ok\ntoo long and still going", " on and on", "\r\nfine\n")]
    [TestCase("ok\ntoo ", "long\nfine\n")]
    public void Under_the_skip_policy_a_too_long_message_is_answered_with_an_error_and_dropped(params string[] pieces)
    {
        var limits = new ConnectionLimits { MaxMessageBytes = 4, OnOversize = OversizePolicy.Skip };

        Assert.That(Talk(limits, pieces), Is.EqualTo("OK\nERR message longer than 4 bytes\nFINE\n"));
    }

    /// <summary>An unfinished message takes from a read only what it can still hold, so its
    /// buffer never holds more than the longest frame; the rest of the read is framed after it.</summary>
    [TestCase("ok\n12345", "678\r\nnext\ntoo long line\nfine\n", ExpectedResult = "OK\n12345678\r\nNEXT\nERR message longer than 8 bytes\nFINE\n")]
    [TestCase("ok\n123456", "789abcdefgh\nfine\n", ExpectedResult = "OK\nERR message longer than 8 bytes\nFINE\n")]
    [TestCase("1234567", "8\r", "\nfine\n", ExpectedResult = "12345678\r\nFINE\n")]
    public string An_unfinished_message_is_never_kept_longer_than_a_frame(params string[] pieces)
    {
        var budget = new BufferBudget(long.MaxValue);
        var limits = new ConnectionLimits { MaxMessageBytes = 8, OnOversize = OversizePolicy.Skip };
        var context = new ExchangeContext(LineFramer.Instance, new ScriptedPipeline(), limits, NullLogger.Instance, budget: budget);
        var exchange = new MessageExchange(context);
        var output = new ByteBuffer();
        foreach (string piece in pieces)
        {
            exchange.Receive(Encoding.ASCII.GetBytes(piece), output);
            Assert.That(exchange.UnfinishedBytes, Is.LessThanOrEqualTo(context.MaxFrameBytes));
            Assert.That(budget.Held, Is.EqualTo(exchange.HeldBytes), "its buffer is counted");
        }

        return Text(output);
    }

    [Test]
    public void A_large_read_after_an_unfinished_message_is_not_kept_whole()
    {
        var pressure = new List<bool>();
        var budget = new BufferBudget(limit: 4096) { PressureChanged = pressure.Add };
        var limits = new ConnectionLimits { MaxMessageBytes = 8, OnOversize = OversizePolicy.Skip };
        var exchange = new MessageExchange(new ExchangeContext(LineFramer.Instance, new ScriptedPipeline(), limits, NullLogger.Instance, budget: budget));
        var output = new ByteBuffer();

        exchange.Receive("ok\n1234"u8, output);
        exchange.Receive(Encoding.ASCII.GetBytes(new string('x', 100_000) + "\nfine\n"), output);

        Assert.That(Text(output), Is.EqualTo("OK\nERR message longer than 8 bytes\nFINE\n"));
        Assert.That(pressure, Is.Empty, "the unfinished message never took more than its smallest buffer");
    }

    /// <summary>Whatever the cuts, the turns and the policy, the replies are those of the input given at once.</summary>
    [Test]
    public void Random_cuts_and_short_turns_give_the_replies_of_the_whole_input([Values] bool skip)
    {
        var random = new Random(7);
        var limits = new ConnectionLimits { MaxMessageBytes = 12, OnOversize = skip ? OversizePolicy.Skip : OversizePolicy.Close };
        using var pipeline = new TransformPipeline([new PipelineStep("slow", new Slow())], NullLogger<TransformPipeline>.Instance);
        for (int round = 0; round < 200; round++)
        {
            string input = string.Concat(Enumerable.Range(0, random.Next(1, 30)).Select(_ => new string('a', random.Next(0, 20)) + (random.Next(3) == 0 ? "\r\n" : "\n")));
            byte[] bytes = Encoding.ASCII.GetBytes(input);
            string whole = Run(bytes, [bytes.Length], TimeSpan.Zero);
            var cuts = new List<int>();
            for (int at = 0; at < bytes.Length; at += cuts[^1])
            {
                cuts.Add(Math.Min(random.Next(1, 40), bytes.Length - at));
            }

            Assert.That(Run(bytes, cuts, TimeSpan.FromTicks(1)), Is.EqualTo(whole), $"round {round}: {input}");
        }

        string Run(byte[] bytes, List<int> pieces, TimeSpan turn) =>
            ExchangeDriver.Talk(new ExchangeContext(LineFramer.Instance, pipeline, limits, NullLogger.Instance, turn, new BufferBudget(long.MaxValue)), bytes, pieces);
    }

    [Test]
    public void A_dropped_message_sends_nothing_not_even_its_ending()
    {
        Assert.That(Talk(new ConnectionLimits(), "a\ndrop\nb\r\n"), Is.EqualTo("A\nB\r\n"));
    }

    [Test]
    public void A_message_that_closes_keeps_the_replies_before_it_and_finishes_the_exchange()
    {
        var exchange = new MessageExchange(Context(new ConnectionLimits()));
        var output = new ByteBuffer();

        exchange.Receive("a\nclose\nb\n"u8, output);

        Assert.That(exchange.Finished, Is.True);
        Assert.That(Text(output), Is.EqualTo("A\n"));
    }

    /// <summary>With a turn, a read of many messages through a slow step yields part way and
    /// keeps the rest; turn after turn the replies come out whole, in order, each once.</summary>
    [Test]
    public void A_flood_through_a_slow_step_yields_its_turn_and_the_backlog_is_answered_turn_after_turn()
    {
        using var pipeline = new TransformPipeline([new PipelineStep("slow", new Slow())], NullLogger<TransformPipeline>.Instance);
        var exchange = new MessageExchange(new ExchangeContext(LineFramer.Instance, pipeline, new ConnectionLimits(), NullLogger.Instance, TimeSpan.FromMilliseconds(1)));
        var output = new ByteBuffer();
        string input = string.Concat(Enumerable.Range(0, 2000).Select(i => $"m{i}\n"));

        exchange.BeginTurn();
        exchange.Receive(Encoding.ASCII.GetBytes(input[..^3]), output); // The last message cut short.
        int turns = 1;
        Assert.That(exchange.HasBacklog, Is.True, "2000 messages of 20 us are more than a 1 ms turn");
        while (exchange.HasBacklog)
        {
            exchange.BeginTurn();
            exchange.Continue(output);
            turns++;
        }

        exchange.Receive(Encoding.ASCII.GetBytes(input[^3..]), output);
        Assert.That(exchange.HasBacklog, Is.False);
        Assert.That(Text(output), Is.EqualTo(input));
        Assert.That(turns, Is.GreaterThan(10), "each turn took about 50 of them");
    }

    [Test]
    public void Input_that_ends_during_a_backlog_is_answered_in_full_first()
    {
        using var pipeline = new TransformPipeline([new PipelineStep("slow", new Slow())], NullLogger<TransformPipeline>.Instance);
        var exchange = new MessageExchange(new ExchangeContext(LineFramer.Instance, pipeline, new ConnectionLimits(), NullLogger.Instance, TimeSpan.FromMilliseconds(1)));
        var output = new ByteBuffer();
        string input = string.Concat(Enumerable.Range(0, 500).Select(i => $"m{i}\n")) + "last";

        exchange.BeginTurn();
        exchange.Receive(Encoding.ASCII.GetBytes(input), output);
        Assert.That(exchange.HasBacklog, Is.True);
        exchange.EndInput(output);

        Assert.That(Text(output), Is.EqualTo(input));
    }

    private static string Talk(ConnectionLimits limits, params string[] pieces)
    {
        var exchange = new MessageExchange(Context(limits));
        var output = new ByteBuffer();
        foreach (string piece in pieces)
        {
            exchange.Receive(Encoding.ASCII.GetBytes(piece), output);
        }

        return Text(output);
    }

    private static ExchangeContext Context(ConnectionLimits limits) =>
        new(LineFramer.Instance, new ScriptedPipeline(), limits, NullLogger.Instance);

    private static string Text(ByteBuffer output) => Encoding.ASCII.GetString(output.WrittenSpan);

    /// <summary>Passes messages on, 20 us each: a step far slower than the samples.</summary>
    private sealed class Slow : ITransform
    {
        public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
        {
            long until = System.Diagnostics.Stopwatch.GetTimestamp() + (System.Diagnostics.Stopwatch.Frequency / 50_000);
            while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
            {
                Thread.SpinWait(10);
            }

            output.Write(message);
        }
    }

    /// <summary>Passes messages on, keeping a disposable state per connection.</summary>
    private sealed class KeepsState : IConnectionTransform
    {
        public int Made { get; private set; }

        public int Disposed { get; private set; }

        public object? CreateConnectionState(ConnectionInfo connection)
        {
            Made++;
            return new State(this);
        }

        public TransformResult Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output, object? connectionState)
        {
            output.Write(message);
            return TransformResult.Continue;
        }

        private sealed class State(KeepsState owner) : IDisposable
        {
            public void Dispose() => owner.Disposed++;
        }
    }

    /// <summary>Upper-cases ASCII; the messages "drop" and "close" ask for those outcomes.</summary>
    private sealed class ScriptedPipeline : StepLessPipeline
    {
        public List<EndPoint?> SessionsOpened { get; } = [];

        public override PipelineSession OpenSession(EndPoint? remoteEndPoint)
        {
            SessionsOpened.Add(remoteEndPoint);
            return PipelineSession.None;
        }

        public override MessageOutcome Run(ReadOnlySpan<byte> message, ByteBuffer reply, PipelineSession session)
        {
            if (message.SequenceEqual("drop"u8))
            {
                reply.Write("partial"u8); // Must not be sent.
                return MessageOutcome.Drop;
            }

            if (message.SequenceEqual("close"u8))
            {
                return MessageOutcome.Close;
            }

            Span<byte> upper = reply.GetSpan(message.Length)[..message.Length];
            System.Text.Ascii.ToUpper(message, upper, out _);
            reply.Advance(message.Length);
            return MessageOutcome.Reply;
        }
    }
}
