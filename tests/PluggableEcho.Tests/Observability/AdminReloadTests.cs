using System.Net;
using PluggableEcho.Host.Reload;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Observability;

/// <summary><c>POST /reload</c> over real HTTP, with a reload function the test controls.</summary>
public sealed class AdminReloadTests
{
    [Test]
    public async Task A_reload_that_succeeds_answers_200_with_the_generation_each_change_and_the_warnings()
    {
        using var admin = new ReloadingAdmin(() => new ReloadOutcome(3,
            ["listener 0: steps [uppercase] -> [reverse, rot13]", "plugin Shout 1.0.0 -> 1.1.0"], [], ["plugins/notes.dll was not loaded: not a .NET assembly"]));
        using HttpClient http = admin.Http();

        (HttpStatusCode status, string body) = await Post(http, "/reload");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body, Is.EqualTo("reloaded: generation 3\n"
            + "  listener 0: steps [uppercase] -> [reverse, rot13]\n"
            + "  plugin Shout 1.0.0 -> 1.1.0\n"
            + "warning: plugins/notes.dll was not loaded: not a .NET assembly\n"));
    }

    [Test]
    public async Task A_reload_that_changes_nothing_says_so()
    {
        using var admin = new ReloadingAdmin(() => new ReloadOutcome(2, [], [], []));
        using HttpClient http = admin.Http();

        Assert.That(await Post(http, "/reload"), Is.EqualTo((HttpStatusCode.OK, "reloaded: generation 2\n  nothing changed\n")));
    }

    [Test]
    public async Task A_reload_that_fails_answers_422_with_every_problem_and_the_generation_that_goes_on()
    {
        using var admin = new ReloadingAdmin(() => new ReloadOutcome(1, [],
            ["echo.yaml:3:5: unknown step 'uppercse'", "echo.yaml:1:1: loops: changing loops needs a restart"], ["a warning"]));
        using HttpClient http = admin.Http();

        (HttpStatusCode status, string body) = await Post(http, "/reload");

        Assert.That(status, Is.EqualTo(HttpStatusCode.UnprocessableContent));
        Assert.That(body, Is.EqualTo("reload failed: generation 1 goes on unchanged\n"
            + "error: echo.yaml:3:5: unknown step 'uppercse'\n"
            + "error: echo.yaml:1:1: loops: changing loops needs a restart\n"
            + "warning: a warning\n"));
    }

    [Test]
    public async Task Concurrent_reloads_are_all_run_off_the_request_threads_and_all_answered()
    {
        const int Requests = 4;
        using var arrived = new CountdownEvent(Requests);
        var serialised = new Lock();
        int generation = 1;
        int overlapping = 0;
        using var admin = new ReloadingAdmin(() =>
        {
            arrived.Signal();
            // Every request reaches the reload before any finishes: the endpoint does not
            // serialise them, and a reload that waits does not hold up the other requests.
            bool all = arrived.Wait(TestClient.Timeout);
            lock (serialised) // As the reload core does.
            {
                Assert.That(Interlocked.Increment(ref overlapping), Is.EqualTo(1));
                int now = ++generation;
                Interlocked.Decrement(ref overlapping);
                return all ? new ReloadOutcome(now, [$"change {now}"], [], []) : new ReloadOutcome(now, [], ["not all requests arrived"], []);
            }
        });
        using HttpClient http = admin.Http();

        (HttpStatusCode Status, string Body)[] answers = await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ => Post(http, "/reload")));

        Assert.That(answers.Select(a => a.Status), Is.All.EqualTo(HttpStatusCode.OK), string.Join("", answers.Select(a => a.Body)));
        Assert.That(answers.Select(a => a.Body).Order(), Is.EqualTo(Enumerable.Range(2, Requests).Select(n => $"reloaded: generation {n}\n  change {n}\n")));
    }

    [Test]
    public async Task A_server_that_cannot_reload_answers_501_with_one_line()
    {
        using var admin = new ReloadingAdmin(reload: null);
        using HttpClient http = admin.Http();

        Assert.That(await Post(http, "/reload"), Is.EqualTo((HttpStatusCode.NotImplemented,
            "reload is not available: this server was started without a way to reload its config\n")));
    }

    [Test]
    public async Task A_reload_that_throws_answers_500_with_one_line_and_the_endpoint_goes_on()
    {
        using var admin = new ReloadingAdmin(() => throw new InvalidOperationException("a bug"));
        using HttpClient http = admin.Http();

        Assert.That(await Post(http, "/reload"), Is.EqualTo((HttpStatusCode.InternalServerError,
            "reload failed unexpectedly: InvalidOperationException: a bug (the server's log has more)\n")));
        using HttpResponseMessage health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_GET_of_reload_changes_nothing()
    {
        int reloads = 0;
        using var admin = new ReloadingAdmin(() => new ReloadOutcome(++reloads + 1, [], [], []));
        using HttpClient http = admin.Http();

        using HttpResponseMessage response = await http.GetAsync(new Uri("/reload", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(reloads, Is.Zero);
    }

    private static async Task<(HttpStatusCode Status, string Body)> Post(HttpClient http, string path)
    {
        using HttpResponseMessage response = await http.PostAsync(new Uri(path, UriKind.Relative), null);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
