using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Pipeline;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Config;

/// <summary>
/// The shipped configs, mutated at random (a fixed seed, so a failure reproduces) the way a
/// hurried edit mangles them, through what <c>check</c> runs: each mutant either builds, or is
/// refused with problems that each name file, line and column. Nothing else may come out: no
/// other exception, no problem without its place.
/// </summary>
public sealed partial class ConfigMutationTests
{
    private const int MutantsPerConfig = 200;

    // What a mutation puts in: YAML's own characters, and values each key has to refuse.
    private static readonly string[] Insertions =
    [
        "[", "]", "{", "}", ":", ",", "-", "#", "&a", "*a", "!!str", "|", ">", "'", "\"", "%", "@", "\t", " ", "\n", "\\", "\0",
        "-1", "0", "99999999999999999999", "1e309", "null", "~", "true", "\"\"", "[]", "{}", "1ms", "-5s", "10000d", "v2", "NaN",
        "0x10", "listen", "limits", "pipeline", "- script: return 1", "type:", "options:", "é", new string('x', 5000),
    ];

    [TestCase("pluggable-echo.yaml", 1)]
    [TestCase("length-prefixed.yaml", 2)]
    [TestCase("script-example.yaml", 3)]
    public void Every_mutant_of_a_shipped_config_builds_or_is_refused_at_its_place(string name, int seed)
    {
        using var folder = new TempFolder();
        string config = Path.Combine(TestPaths.RepositoryRoot, "config");
        foreach (string script in Directory.GetFiles(Path.Combine(config, "scripts")))
        {
            folder.Write(Path.Combine("scripts", Path.GetFileName(script)), File.ReadAllText(script));
        }

        // The plugins the config names, wherever the mutant is.
        string original = File.ReadAllText(Path.Combine(config, name)).Replace("plugins: ../plugins", $"plugins: {TestPaths.SamplePlugins}", StringComparison.Ordinal);
        var random = new Random(seed);
        int refused = 0;
        for (int i = 0; i < MutantsPerConfig; i++)
        {
            string mutant = Mutate(original, random);
            string path = folder.Write($"mutant-{i}.yaml", mutant);
            string context = $"seed {seed}, mutant {i}:\n{Excerpt(mutant, original)}";
            try
            {
                Check(path);
            }
            catch (StartupException e)
            {
                refused++;
                Assert.That(e.Problems.Where(p => !IsPositioned(p, path)), Is.Empty, context);
            }
            catch (Exception e)
            {
                Assert.Fail($"{context}\n{e}");
            }
        }

        TestContext.Out.WriteLine($"{name}: {refused} of {MutantsPerConfig} mutants refused, the rest built");
        Assert.That(refused, Is.GreaterThan(MutantsPerConfig / 10), "the mutations reach the checks");
    }

    /// <summary>What <c>check</c> builds, with the test's plugins in place of the config's own folder.</summary>
    private static void Check(string path)
    {
        ServerSettings settings = ConfigLoader.Load(path, TestPaths.SamplePlugins);
        foreach (IReadOnlyList<StepPlan> plans in StepBinder.BindAll(settings, Support.Transforms.Plugins))
        {
            new PipelineFactory(plans, NullLoggerFactory.Instance).Create().Dispose();
        }
    }

    private static string Mutate(string text, Random random)
    {
        for (int edits = random.Next(1, 4); edits > 0; edits--)
        {
            string[] lines = text.Split('\n');
            int at = random.Next(text.Length + 1);
            int line = random.Next(lines.Length);
            text = random.Next(7) switch
            {
                0 => at < text.Length ? text.Remove(at, 1) : text,
                1 => text.Insert(at, Insertions[random.Next(Insertions.Length)]),
                2 => string.Join('\n', lines.Take(line + 1).Append(lines[line]).Concat(lines.Skip(line + 1))),
                3 => string.Join('\n', lines.Where((_, i) => i != line)),
                4 => string.Join('\n', lines.Select((l, i) => i == line ? new string(' ', random.Next(1, 3)) + l : l)),
                5 => ReplaceWord(text, random),
                _ => string.Join('\n', lines.Select((l, i) => i == line ? l.TrimStart() : l)),
            };
        }

        return text;
    }

    /// <summary>A word (a key or a value) in place of another.</summary>
    private static string ReplaceWord(string text, Random random)
    {
        MatchCollection words = Word().Matches(text);
        if (words.Count == 0)
        {
            return text;
        }

        Match word = words[random.Next(words.Count)];
        return string.Concat(text.AsSpan(0, word.Index), Insertions[random.Next(Insertions.Length)], text.AsSpan(word.Index + word.Length));
    }

    /// <summary><c>/tmp/…/mutant-3.yaml:12:5: …</c>.</summary>
    private static bool IsPositioned(string problem, string path) =>
        problem.StartsWith(path + ":", StringComparison.Ordinal) && Position().IsMatch(problem[(path.Length + 1)..]);

    /// <summary>The lines that differ from the original, for the failure message.</summary>
    private static string Excerpt(string mutant, string original)
    {
        HashSet<string> originalLines = [.. original.Split('\n')];
        var changed = new StringBuilder();
        foreach ((string line, int number) in mutant.Split('\n').Select((l, i) => (l, i + 1)).Where(x => !originalLines.Contains(x.l)).Take(5))
        {
            changed.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"  {number}: {(line.Length > 200 ? line[..200] + "…" : line)}");
        }

        return changed.ToString();
    }

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_.]*")]
    private static partial Regex Word();

    [GeneratedRegex(@"^\d+:\d+: ")]
    private static partial Regex Position();
}
