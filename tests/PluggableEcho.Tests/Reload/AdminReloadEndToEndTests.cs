using System.Net;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Reload;

/// <summary>A reload asked for over the admin endpoint, as <c>pluggable-echo reload</c> asks: its
/// answer, and what <c>/config</c> and <c>/metrics</c> then show.</summary>
public sealed class AdminReloadEndToEndTests
{
    private const string Admin = "admin: { listen: 127.0.0.1:0 }\n";

    [Test]
    public void Post_reload_answers_what_changed_or_why_not_and_config_and_metrics_follow()
    {
        using var server = new RunningServer(Admin + "pipeline: [uppercase]\n");
        using var http = new HttpClient { BaseAddress = new Uri($"http://{server.AdminEndPoint}"), Timeout = TestClient.Timeout };

        server.Rewrite(Admin + "pipeline: [reverse]\n");
        using HttpResponseMessage reloaded = http.PostAsync(new Uri("/reload", UriKind.Relative), null).GetAwaiter().GetResult();
        string reloadedBody = reloaded.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        Assert.That(reloaded.StatusCode, Is.EqualTo(HttpStatusCode.OK), reloadedBody);
        Assert.That(reloadedBody, Does.StartWith("reloaded: generation 2\n").And.Contain("listener 0: pipeline [uppercase] -> [reverse]"));

        server.Rewrite(Admin + "pipeline: [reverse\n");
        using HttpResponseMessage failed = http.PostAsync(new Uri("/reload", UriKind.Relative), null).GetAwaiter().GetResult();
        string failedBody = failed.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        Assert.That(failed.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableContent), failedBody);
        Assert.That(failedBody, Does.StartWith("reload failed: generation 2 goes on unchanged\n").And.Match(@"error: .*echo\.yaml:\d+:\d+: "));

        string config = http.GetStringAsync(new Uri("/config", UriKind.Relative)).GetAwaiter().GetResult();
        Assert.That(config, Does.Contain("\"generation\": 2").And.Contain("\"reverse\""));
        string metrics = http.GetStringAsync(new Uri("/metrics", UriKind.Relative)).GetAwaiter().GetResult();
        Assert.That(metrics, Does.Match(@"(?m)^pluggable_echo_config_generation(\{[^}]*\})? 2$"));
        Assert.That(metrics, Does.Match(@"(?m)^pluggable_echo_reload_count_total\{[^}]*result=""reloaded""[^}]*\} 1$"));
        Assert.That(metrics, Does.Match(@"(?m)^pluggable_echo_reload_count_total\{[^}]*result=""failed""[^}]*\} 1$"));
        Assert.That(Ask(server, "abc"), Is.EqualTo("cba\n"));
    }

    private static string Ask(RunningServer server, string line)
    {
        using TestClient client = server.Connect();
        client.Send(line + "\n");
        return client.ReadLine();
    }
}
