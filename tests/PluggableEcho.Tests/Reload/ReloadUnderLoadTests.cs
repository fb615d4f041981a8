using System.Text;
using PluggableEcho.Host.Reload;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Reload;

/// <summary>
/// Reloads while 100 clients pipeline lines and check every reply: each reply is exactly one
/// generation's transform of its line, none is lost or answered twice, and each connection
/// follows <c>reload.existing</c>: under <c>switch</c> every line sent after a reload returned
/// gets the new pipeline; under <c>keep</c> the clients connected before keep theirs.
/// </summary>
[NonParallelizable]
public sealed class ReloadUnderLoadTests
{
    private const int Clients = 100;
    private const int Reloads = 20;
    private const int Batch = 8;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Test]
    public void Under_switch_every_line_sent_after_a_reload_gets_its_pipeline_and_no_reply_is_lost_split_or_doubled()
    {
        using var server = new RunningServer(Config(0, "switch"));
        using var load = new PipeliningClients(server, Clients);

        for (int reload = 1; reload <= Reloads; reload++)
        {
            load.ReloadBegins();
            ReloadOutcome outcome = server.Reload(Config(reload, "switch"));
            Assert.That(outcome.Problems, Is.Empty);
            Assert.That(outcome.Generation, Is.EqualTo(reload + 1));
            load.ReloadReturned(); // Every line sent from now on must get this reload's pipeline.
            Assert.That(load.WaitUntilEachClientCheckedAWholeBatch(Patience), Is.True, $"after reload {reload}: {load.Failures}");
        }

        load.Stop();
        Assert.That(load.Failures, Is.Empty);
        Assert.That(load.Replies, Is.EqualTo(load.Lines), "every line answered once");
        TestContext.Out.WriteLine($"{load.Lines} lines, {Reloads} reloads, {load.StrictBatches} batches checked against their epoch's pipeline");
    }

    [Test]
    public void Under_keep_the_clients_connected_before_keep_their_pipeline_through_every_reload_and_new_ones_get_the_newest()
    {
        using var server = new RunningServer(Config(0, "keep"));
        using var load = new PipeliningClients(server, Clients, keepsFirstPipeline: true);

        for (int reload = 1; reload <= Reloads; reload++)
        {
            load.ReloadBegins();
            Assert.That(server.Reload(Config(reload, "keep")).Problems, Is.Empty);
            using TestClient probe = server.Connect();
            probe.Send("probe line\n");
            Assert.That(probe.ReadLine(), Is.EqualTo(Transform(reload, "probe line") + "\n"), $"a new client after reload {reload}");
            load.ReloadReturned();
            Assert.That(load.WaitUntilEachClientCheckedAWholeBatch(Patience), Is.True, $"after reload {reload}: {load.Failures}");
        }

        load.Stop();
        Assert.That(load.Failures, Is.Empty);
        Assert.That(load.Replies, Is.EqualTo(load.Lines));
        Assert.That(server.Host.Reloader.Live.Select(g => g.Number), Is.EqualTo(new[] { 1, Reloads + 1 }),
            "the first generation lives on with its clients; the ones between have ended");
    }

    /// <summary>Even reloads serve <c>[uppercase]</c>, odd ones <c>[reverse, rot13]</c>.</summary>
    private static string Config(int reload, string existing) =>
        (reload % 2 == 0 ? "pipeline: [uppercase]\n" : "pipeline: [reverse, rot13]\n") + $"reload: {{ existing: {existing} }}\n";

    private static string Transform(int reload, string line) => reload % 2 == 0 ? line.ToUpperInvariant() : Rot13(new string([.. line.Reverse()]));

    private static string Rot13(string text) => new([.. text.Select(c => c switch
    {
        >= 'a' and <= 'z' => (char)('a' + ((c - 'a' + 13) % 26)),
        >= 'A' and <= 'Z' => (char)('A' + ((c - 'A' + 13) % 26)),
        _ => c,
    })]);

    /// <summary>
    /// Clients on threads of their own, each sending batches of unique lines and checking every
    /// reply: it must be one of the two pipelines' answer to its line, and a connection moves on
    /// no more often within a batch than reloads happened meanwhile. A batch sent and answered
    /// between two reloads (none under way) must be the last reload's pipeline's answer, or the
    /// first pipeline's under <c>keep</c>.
    /// </summary>
    private sealed class PipeliningClients : IDisposable
    {
        private readonly List<Thread> _threads = [];
        private readonly List<TestClient> _clients = [];
        private readonly List<string> _failures = [];
        private readonly bool _keepsFirstPipeline;
        private volatile bool _stopping;
        private volatile CountdownEvent _checked;
        private int _phase; // Even: between reloads (the epoch is half of it); odd: one under way.
        private long _lines;
        private long _replies;
        private long _strictBatches;

        public PipeliningClients(RunningServer server, int clients, bool keepsFirstPipeline = false)
        {
            _keepsFirstPipeline = keepsFirstPipeline;
            _checked = new CountdownEvent(clients);
            for (int i = 0; i < clients; i++)
            {
                TestClient client = server.Connect();
                _clients.Add(client);
                int id = i;
                _threads.Add(new Thread(() => Run(id, client)) { IsBackground = true, Name = $"client {i}" });
            }

            _threads.ForEach(thread => thread.Start());
        }

        public long Lines => Interlocked.Read(ref _lines);

        public long Replies => Interlocked.Read(ref _replies);

        public long StrictBatches => Interlocked.Read(ref _strictBatches);

        public string Failures
        {
            get
            {
                lock (_failures)
                {
                    return string.Join("\n", _failures.Take(10));
                }
            }
        }

        public void ReloadBegins() => Interlocked.Increment(ref _phase);

        /// <summary>A reload has returned: batches from now on are checked against it.</summary>
        public void ReloadReturned()
        {
            _checked = new CountdownEvent(_clients.Count);
            Interlocked.Increment(ref _phase);
        }

        public bool WaitUntilEachClientCheckedAWholeBatch(TimeSpan timeout) => _checked.Wait(timeout) && Failures.Length == 0;

        public void Stop()
        {
            _stopping = true;
            foreach (Thread thread in _threads)
            {
                Assert.That(thread.Join(Patience), Is.True, $"{thread.Name} did not finish its batch");
            }
        }

        public void Dispose()
        {
            _stopping = true;
            _clients.ForEach(client => client.Dispose());
        }

        private void Run(int id, TestClient client)
        {
            var random = new Random(id);
            try
            {
                for (int batch = 0; !_stopping; batch++)
                {
                    CountdownEvent checkedThisEpoch = _checked;
                    int phase = Volatile.Read(ref _phase);
                    string[] lines = [.. Enumerable.Range(0, Batch).Select(i => $"c{id} b{batch} l{i} {Words(random)}")];
                    Interlocked.Add(ref _lines, Batch);
                    client.Send(string.Concat(lines.Select(line => line + "\n")));
                    int[] kinds = [.. lines.Select(line => KindOf(line, client.ReadLine()))];
                    Interlocked.Add(ref _replies, Batch);
                    int phaseAfter = Volatile.Read(ref _phase);
                    Check(id, batch, phase, phaseAfter, kinds, checkedThisEpoch);
                }
            }
            catch (Exception e)
            {
                Fail($"client {id}: {e.GetType().Name}: {e.Message}");
            }
        }

        private void Check(int id, int batch, int phase, int phaseAfter, int[] kinds, CountdownEvent checkedThisEpoch)
        {
            if (kinds.Contains(-1))
            {
                Fail($"client {id} batch {batch}: a reply is neither pipeline's answer to its line: [{string.Join(",", kinds)}]");
                return;
            }

            int changes = kinds.Zip(kinds.Skip(1)).Count(pair => pair.First != pair.Second);
            int reloadsMeanwhile = (phaseAfter - phase + 1) / 2;
            if (changes > reloadsMeanwhile || (_keepsFirstPipeline && changes > 0))
            {
                Fail($"client {id} batch {batch}: moved between pipelines within the batch more than reloads allow: [{string.Join(",", kinds)}]");
            }

            if (phase != phaseAfter || phase % 2 == 1)
            {
                return; // A reload was under way while the batch was: either pipeline may answer.
            }

            int expected = _keepsFirstPipeline ? 0 : (phase / 2) % 2;
            if (kinds.Any(kind => kind != expected))
            {
                Fail($"client {id} batch {batch} after reload {phase / 2}: expected pipeline {expected}, got [{string.Join(",", kinds)}]");
                return;
            }

            Interlocked.Increment(ref _strictBatches);
            if (!checkedThisEpoch.IsSet)
            {
                try
                {
                    checkedThisEpoch.Signal();
                }
                catch (InvalidOperationException)
                {
                    // Already counted: this client checked two batches in the epoch.
                }
            }
        }

        /// <summary>0: upper-cased; 1: reversed and rot13'd; -1: neither.</summary>
        private static int KindOf(string line, string reply)
        {
            if (reply == Transform(0, line) + "\n")
            {
                return 0;
            }

            return reply == Transform(1, line) + "\n" ? 1 : -1;
        }

        private static string Words(Random random)
        {
            var text = new StringBuilder();
            for (int i = random.Next(3, 40); i > 0; i--)
            {
                text.Append((char)('a' + random.Next(26)));
            }

            return text.ToString();
        }

        private void Fail(string failure)
        {
            lock (_failures)
            {
                _failures.Add(failure);
            }
        }
    }
}
