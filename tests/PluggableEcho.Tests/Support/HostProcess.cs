using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace PluggableEcho.Tests.Support;

/// <summary>The real executable, run as a user would run it, with its output captured.</summary>
internal sealed partial class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _stdout = []; // Taken from as the test waits.
    private readonly ConcurrentQueue<string> _stdoutSoFar = new(); // Kept whole.
    private readonly ConcurrentQueue<string> _stderr = new();

    public HostProcess(params string[] arguments)
        : this(readOutput: true, arguments)
    {
    }

    /// <param name="readOutput">False: standard output is read up to the ready line
    /// (<see cref="WaitUntilListening"/>), then never again, as a paused pager or a blocked log
    /// driver would leave it; <see cref="OutputPipe"/> is its reading end.</param>
    public HostProcess(bool readOutput, params string[] arguments)
        : this(readOutput, environment: null, arguments)
    {
    }

    /// <param name="environment">Variables to set for the server, beside those the tests have.</param>
    /// <param name="arguments">Its command line.</param>
    public HostProcess(IReadOnlyDictionary<string, string> environment, params string[] arguments)
        : this(readOutput: true, environment, arguments)
    {
    }

    private HostProcess(bool readOutput, IReadOnlyDictionary<string, string>? environment, string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = TestPaths.HostOutput,
        };
        start.Environment.Remove("NOTIFY_SOCKET"); // Tests run under systemd must not tell it about their servers.
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(TestPaths.HostAssembly);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _stdout.CompleteAdding();
            }
            else
            {
                _stdoutSoFar.Enqueue(e.Data);
                _stdout.Add(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, e) => _stderr.Enqueue(e.Data ?? "");
        _process.Start();
        if (readOutput)
        {
            _process.BeginOutputReadLine();
        }
        else
        {
            _ = Task.Run(ReadUntilListening); // Then reads no more.
        }

        _process.BeginErrorReadLine();
    }

    /// <summary>The reading end of standard output, for a test that shrinks or stalls it.</summary>
    public System.IO.Pipes.PipeStream OutputPipe => (System.IO.Pipes.PipeStream)_process.StandardOutput.BaseStream;

    public string StandardError => string.Join("\n", _stderr);

    /// <summary>All of standard output, once the process has exited.</summary>
    public string StandardOutput => string.Join("\n", _stdoutSoFar);

    /// <summary>Writes to the process's standard input, and closes it if asked.</summary>
    public void Input(string text, bool end = true)
    {
        _process.StandardInput.Write(text);
        _process.StandardInput.Flush();
        if (end)
        {
            _process.StandardInput.Close();
        }
    }

    private void ReadUntilListening()
    {
        while (_process.StandardOutput.ReadLine() is { } line)
        {
            _stdoutSoFar.Enqueue(line);
            _stdout.Add(line);
            if (ListeningLine().IsMatch(line))
            {
                return;
            }
        }

        _stdout.CompleteAdding();
    }

    /// <summary>Standard output read so far, without waiting for more.</summary>
    public IReadOnlyList<string> OutputSoFar => [.. _stdoutSoFar];

    /// <summary>Waits for the "listening on" line and returns the address it names.</summary>
    public IPEndPoint WaitUntilListening() =>
        IPEndPoint.Parse(WaitForLine(ListeningLine()).Groups[1].Value);

    /// <summary>Reads standard output on from the last line waited for, until a line matches.</summary>
    public Match WaitForLine(Regex pattern)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (string line in _stdout.GetConsumingEnumerable(timeout.Token))
        {
            if (pattern.Match(line) is { Success: true } match)
            {
                return match;
            }
        }

        throw new InvalidOperationException($"the server's output ended without a line matching {pattern}: {StandardError}");
    }

    public int WaitForExit()
    {
        if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("the server did not exit within 30 s");
        }

        _process.WaitForExit(); // Lets the output readers finish.
        return _process.ExitCode;
    }

    /// <summary>Its resident memory now (VmRSS), in bytes.</summary>
    public long ResidentBytes()
    {
        string status = File.ReadAllText($"/proc/{_process.Id}/status");
        Match rss = Regex.Match(status, @"VmRSS:\s+(\d+) kB");
        return long.Parse(rss.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    public void SendSignal(int signal) => Assert.That(Kill(_process.Id, signal), Is.Zero);

    /// <summary>Lets the running server open only <paramref name="more"/> descriptors beyond those it holds now.</summary>
    public void LimitFurtherDescriptors(int more)
    {
        int held = Directory.GetFileSystemEntries($"/proc/{_process.Id}/fd").Length;
        var limit = new ResourceLimit { Current = (ulong)(held + more), Maximum = (ulong)(held + more) };
        Assert.That(SetResourceLimit(_process.Id, ResourceLimitOpenFiles, ref limit, IntPtr.Zero), Is.Zero, "prlimit failed");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
        _stdout.Dispose();
    }

    [GeneratedRegex(@"listening on (\S+)$")]
    private static partial Regex ListeningLine();

    private const int ResourceLimitOpenFiles = 7; // RLIMIT_NOFILE

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "prlimit", SetLastError = true)]
    private static extern int SetResourceLimit(int pid, int resource, ref ResourceLimit limit, IntPtr old);

    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceLimit
    {
        public ulong Current;
        public ulong Maximum;
    }
}
