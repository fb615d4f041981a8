using System.Diagnostics;
using System.Text.Json;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Observability;

/// <summary>The admin endpoint as the real Prometheus tools see it (Debian's prometheus package;
/// CI installs it).</summary>
public sealed class PrometheusTests
{
    private const string Config = "loops: 1\nadmin: { listen: 127.0.0.1:0 }\n";

    [Test]
    public async Task Promtool_finds_nothing_wrong_with_the_metrics_page()
    {
        string promtool = SystemTool.Find("promtool", "prometheus");
        using var server = new RunningServer(Config);
        using (TestClient client = server.Connect())
        {
            client.Send("hello\n");
            client.ReadLine();
        }

        using var http = new HttpClient { Timeout = TestClient.Timeout };
        string metrics = await http.GetStringAsync(new Uri($"http://{server.AdminEndPoint}/metrics"));
        (int exit, string output, string errors) = await SystemTool.RunAsync(promtool, ["check", "metrics"], metrics);

        Assert.That((exit, (output + errors).Trim()), Is.EqualTo((0, "")));
    }

    [Test]
    public async Task A_real_Prometheus_scrapes_the_endpoint_and_a_counter_arrives()
    {
        string prometheus = SystemTool.Find("prometheus", "prometheus");
        using var server = new RunningServer(Config);
        for (int i = 0; i < 3; i++)
        {
            using TestClient client = server.Connect();
            client.Send("hello\n");
            client.ReadLine();
        }

        using var folder = new TempFolder();
        string config = folder.Write("prometheus.yml", $$"""
            global: { scrape_interval: 1s }
            scrape_configs:
              - job_name: pluggable-echo
                static_configs: [{ targets: ["{{server.AdminEndPoint}}"] }]

            """);
        int port = LoopbackPorts.Free();
        using Process scraper = Process.Start(new ProcessStartInfo(prometheus)
        {
            ArgumentList = { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(folder.Path, "data")}", $"--web.listen-address=127.0.0.1:{port}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        scraper.OutputDataReceived += (_, _) => { };
        scraper.ErrorDataReceived += (_, _) => { };
        scraper.BeginOutputReadLine();
        scraper.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            double? accepted = null;
            var clock = Stopwatch.StartNew();
            while (accepted is null && clock.Elapsed < TimeSpan.FromSeconds(60) && !scraper.HasExited)
            {
                accepted = await QueryAsync(http, "pluggable_echo_connection_accepted_total");
                if (accepted is null)
                {
                    await Task.Delay(200); // Prometheus scrapes once a second: asking faster is useless.
                }
            }

            Assert.That(scraper.HasExited, Is.False, "prometheus kept running");
            Assert.That(accepted, Is.EqualTo(3), "what Prometheus stored is what the server counted");
        }
        finally
        {
            scraper.Kill();
            await scraper.WaitForExitAsync();
        }
    }

    /// <summary>The value of an instant query with one result, or null while there is none.</summary>
    private static async Task<double?> QueryAsync(HttpClient http, string query)
    {
        try
        {
            using JsonDocument answer = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/v1/query?query={query}", UriKind.Relative)));
            JsonElement results = answer.RootElement.GetProperty("data").GetProperty("result");
            return results.GetArrayLength() == 1 ? double.Parse(results[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture) : null;
        }
        catch (HttpRequestException)
        {
            return null; // Not listening yet.
        }
    }
}
