using PluggableEcho.Host.Errors;
using YamlDotNet.Core;

namespace PluggableEcho.Host.Config;

/// <summary>Collects every mistake found in one config file, each tagged file:line:column.</summary>
internal sealed class ConfigProblems(string file)
{
    private readonly List<string> _problems = [];

    public string File { get; } = file;

    public bool Any => _problems.Count > 0;

    public void Add(Mark at, string message) => _problems.Add($"{Locate(at)}: {message}");

    /// <summary><c>file:line:column</c>, as every problem at a place starts.</summary>
    public string Locate(Mark at) => $"{File}:{at.Line}:{at.Column}";

    /// <summary>A problem with no place in the file: it names its own source.</summary>
    public void AddElsewhere(string problem) => _problems.Add(problem);

    public void ThrowIfAny()
    {
        if (Any)
        {
            throw new StartupException(_problems.ToArray());
        }
    }
}
