using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Cli;

/// <summary><c>test CASES.yaml</c>, run as the real executable.</summary>
public sealed class TestCommandTests
{
    private TempFolder _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TempFolder();

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    [Test]
    public void The_shipped_cases_of_the_sample_plugins_pass()
    {
        using var test = new HostProcess("test", Path.Combine(TestPaths.RepositoryRoot, "tests", "cases", "samples.yaml"));

        Assert.That(test.WaitForExit(), Is.Zero, test.StandardOutput);
        Assert.That(test.OutputSoFar[^1], Does.Match(@"^cases: \d+ passed, 0 failed$"));
        Assert.That(test.OutputSoFar.SkipLast(1), Has.All.StartWith("PASS  "));
    }

    [Test]
    public void A_failing_case_shows_what_was_expected_and_what_came_and_exits_1()
    {
        string cases = Cases($$"""
            cases:
              - name: passes
                pipeline: [uppercase]
                send: ["a", "b\n"]
                expect: "AB\n"
              - name: fails
                pipeline: [reverse]
                send: "abc\n"
                expect: "abc\n"
              - name: a config of its own
                config: {{Config("pipeline: [rot13]\n")}}
                send: "uryyb"
                expect: "hello"
            """);

        using var test = new HostProcess("test", cases);

        Assert.That(test.WaitForExit(), Is.EqualTo(1));
        Assert.That(test.OutputSoFar, Is.EqualTo(new[]
        {
            "PASS  passes",
            $"FAIL  fails ({cases}:6:5)",
            "      expected: \"abc\\n\"",
            "      got:      \"cba\\n\"",
            "      first difference at byte 0",
            "PASS  a config of its own",
            "cases: 2 passed, 1 failed",
        }));
    }

    [Test]
    public void Error_policies_and_limits_show_in_the_transcript_as_a_client_would_see_them()
    {
        string cases = Cases($$"""
            cases:
              - name: drop sends nothing for the failing message
                pipeline:
                  - type: throws-on-boom
                    on_error: drop
                send: "one\nboom\ntwo\n"
                expect: "one\ntwo\n"
                plugins: {{AllPlugins.Folder}}
              - name: close sends the earlier replies, then nothing
                on_error: close
                pipeline: [throws-on-boom]
                send: ["one\nbo", "om\ntwo\n"]
                expect: "one\n"
                plugins: {{AllPlugins.Folder}}
              - name: a message over the limit is refused
                limits: { max_message_bytes: 4 }
                pipeline: [uppercase]
                send: "abc\nabcdefgh\nabc\n"
                expect: "ABC\nERR message longer than 4 bytes\n"
            """);

        using var test = new HostProcess("test", cases);

        Assert.That(test.WaitForExit(), Is.Zero, test.StandardOutput);
        Assert.That(test.OutputSoFar[^1], Is.EqualTo("cases: 3 passed, 0 failed"));
    }

    [Test]
    public void A_case_whose_config_is_wrong_fails_with_the_problem_where_it_is_written()
    {
        string cases = Cases("""
            cases:
              - name: unknown step
                pipeline: [uppercase, rot14]
                send: "x\n"
                expect: "X\n"
            """);

        using var test = new HostProcess("test", cases);

        Assert.That(test.WaitForExit(), Is.EqualTo(1));
        Assert.That(test.StandardOutput, Does.Contain($"      error: {cases}:3:27: unknown transform 'rot14'"));
    }

    [TestCase("cases:\n  - name: x\n    send: a\n", "2:5: this case has no 'expect:'")]
    [TestCase("cases:\n  - name: x\n    send: a\n    expect: b\n    sned: c\n", "5:5: unknown case key 'sned'")]
    [TestCase("cases:\n  - name: x\n    send: [{ hex: zz }]\n    expect: b\n", "3:19: send: hex: expected pairs of hex digits")]
    [TestCase("cases:\n  - name: x\n    config: a.yaml\n    pipeline: [reverse]\n    send: a\n    expect: b\n", "4:5: a case names a config file or writes its config inline, not both")]
    [TestCase("cases: {}\n", "1:8: cases: expected a list of cases")]
    [TestCase("cases:\n  - name: x\n    send: &a b\n    expect: *a\n", "4:13: aliases such as *a are not supported here")]
    public void A_wrong_cases_file_names_file_line_and_column_and_exits_1(string yaml, string problem)
    {
        string cases = Cases(yaml);

        using var test = new HostProcess("test", cases);

        Assert.That(test.WaitForExit(), Is.EqualTo(1));
        Assert.That(test.StandardError, Does.Contain($"error: {cases}:{problem}"));
    }

    private string Cases(string yaml) => _folder.Write("cases.yaml", yaml);

    private string Config(string yaml) => _folder.Write("echo.yaml", $"{yaml}plugins: {AllPlugins.Folder}\n");
}
