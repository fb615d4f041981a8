namespace PluggableEcho.Host.Errors;

/// <summary>
/// Why the server cannot start: one or more problems, each already phrased for the user and
/// prefixed with where it was found (<c>file:line:column</c>, or a plugin's path).
/// </summary>
internal sealed class StartupException : Exception
{
    public StartupException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    public StartupException(string problem)
        : this([problem])
    {
    }

    public IReadOnlyList<string> Problems { get; }

    /// <summary>What is worth knowing beside the problems, but did not stop start-up by itself:
    /// a plugin the pipeline does not need that was not loaded, say.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
