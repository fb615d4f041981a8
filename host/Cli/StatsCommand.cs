using System.CommandLine;
using System.Globalization;
using System.Net;
using PluggableEcho.Host.Client;

namespace PluggableEcho.Host.Cli;

/// <summary><c>stats HOST:PORT</c>: the main figures of a running server, from its admin endpoint.</summary>
internal static class StatsCommand
{
    private const string Description = """
        Print the main figures of a running server, read from its admin endpoint (admin: listen:
        in its config): once, or every second with --watch, with rates over that second.
        Exit codes: 0 done, 1 the endpoint cannot be reached or answers wrongly, 2 bad command line.
        """;

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        Argument<IPEndPoint> address = CommonOptions.Server();
        address.Description = "the admin endpoint: the address of the config's admin: listen:";
        var watch = new Option<bool>("--watch") { Description = "print the figures every second until Ctrl+C" };
        var command = new Command("stats", Description) { address, watch };
        command.SetAction((parsed, cancel) => RunAsync(parsed.GetValue(address)!, parsed.GetValue(watch), cancel));
        return command;
    }

    private static async Task<int> RunAsync(IPEndPoint endpoint, bool watch, CancellationToken cancel)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{endpoint}"), Timeout = TimeSpan.FromSeconds(5) };
        MetricsText? previous = null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan previousAt = TimeSpan.Zero;
        try
        {
            do
            {
                MetricsText now = MetricsText.Parse(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancel).ConfigureAwait(false));
                TimeSpan at = clock.Elapsed;
                string readiness = await ReadinessAsync(http, cancel).ConfigureAwait(false);
                Console.Out.Write(Format(now, previous, at - previousAt, readiness));
                (previous, previousAt) = (now, at);
                if (watch)
                {
                    await Task.Delay(Interval, cancel).ConfigureAwait(false);
                    Console.Out.WriteLine();
                }
            }
            while (watch);

            return ExitCodes.Ok;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return ExitCodes.Ok; // Ctrl+C ends --watch.
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Console.Error.WriteLine($"error: {endpoint}: {e.Message}");
            return ExitCodes.Failed;
        }
    }

    private static async Task<string> ReadinessAsync(HttpClient http, CancellationToken cancel)
    {
        using HttpResponseMessage response = await http.GetAsync(new Uri("/readyz", UriKind.Relative), cancel).ConfigureAwait(false);
        return (await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false)).Trim();
    }

    /// <summary>The figures as lines; with an earlier scrape, how fast each count grew since.</summary>
    /// <param name="elapsed">Since the earlier scrape.</param>
    internal static string Format(MetricsText now, MetricsText? before, TimeSpan elapsed, string readiness)
    {
        string Count(string name, string? label = null)
        {
            double value = now.Sum(name, label);
            string total = value.ToString("N0", CultureInfo.InvariantCulture);
            return before is null ? total : $"{total} (+{(value - before.Sum(name, label)) / elapsed.TotalSeconds:N0}/s)";
        }

        string Gauge(string name) => now.Sum(name).ToString("N0", CultureInfo.InvariantCulture);

        var lines = new List<string>
        {
            $"readiness    {readiness}",
            $"connections  open {Gauge("pluggable_echo_connection_active")}, accepted {Count("pluggable_echo_connection_accepted_total")}, "
                + $"rejected {Count("pluggable_echo_connection_rejected_total")}, read paused {Gauge("pluggable_echo_connection_read_paused")}",
            $"messages     received {Count("pluggable_echo_message_received_total")}, replied {Count("pluggable_echo_message_replied_total")}, "
                + $"dropped {Count("pluggable_echo_message_dropped_total")}, oversize {Count("pluggable_echo_message_oversize_total")}",
            $"bytes        in {Count("pluggable_echo_network_io_bytes_total", "network_io_direction=\"receive\"")}, "
                + $"out {Count("pluggable_echo_network_io_bytes_total", "network_io_direction=\"transmit\"")}",
            $"step errors  {Count("pluggable_echo_step_failures_total")}",
        };
        lines.AddRange(now.Samples("pluggable_echo_loop_busy_time_seconds_total").Select(loop =>
        {
            double busy = before?.Samples("pluggable_echo_loop_busy_time_seconds_total").FirstOrDefault(b => b.Labels == loop.Labels).Value ?? double.NaN;
            string share = double.IsNaN(busy) ? $"{loop.Value:N1} s busy in all" : $"{(loop.Value - busy) / elapsed.TotalSeconds:P0} busy";
            return $"loop         {loop.Labels.Replace("loop=", "", StringComparison.Ordinal).Trim('"')}: {share}";
        }));
        return string.Join('\n', lines) + "\n";
    }
}
