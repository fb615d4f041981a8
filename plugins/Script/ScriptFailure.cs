using System.Globalization;
using System.Text.RegularExpressions;
using Acornima;
using Jint;
using Jint.Runtime;

namespace PluggableEcho.Plugins.Script;

/// <summary>
/// A message the script could not handle: it threw, broke a limit or returned something that is
/// not a reply. The pipeline tells the client the message, which says where in the script.
/// </summary>
internal sealed partial class ScriptFailure : Exception
{
    public ScriptFailure(string message)
        : base(message)
    {
    }

    public ScriptFailure(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>What went wrong and where, or null for an exception that is not the script's doing.</summary>
    /// <param name="engine">Where it ran: its call stack still shows where a limit was hit.</param>
    public static string? Explain(Exception e, CompiledScript script, ScriptLimits limits, Engine engine)
    {
        string? what = e switch
        {
            JavaScriptException js => js.Error.ToString(),
            TimeoutException => string.Create(CultureInfo.InvariantCulture, $"ran longer than {limits.Time.TotalMilliseconds} ms"),
            MemoryLimitExceededException => $"allocated more than {limits.MemoryMb} MiB",
            RecursionDepthOverflowException => $"went deeper than {limits.Recursion} nested calls",
            StatementsCountOverflowException => $"ran more than {limits.Statements} statements",
            _ => null,
        };

        if (what is null)
        {
            return null;
        }

        if (JintException.TryGetJavaScriptLocation(e, out SourceLocation location))
        {
            return $"{what} {script.At(location.Start, fullPath: false)}";
        }

        // Jint attaches no location to some limit breaches; its call stack still shows where the script was.
        Match top = StackPosition().Match(engine.Advanced.StackTrace);
        return top.Success
            ? $"{what} {script.At(Position.From(Number(top.Groups["line"]), Number(top.Groups["column"]) - 1), fullPath: false)}"
            : what;
    }

    private static int Number(Group digits) => int.Parse(digits.ValueSpan, CultureInfo.InvariantCulture);

    // A frame reads "at script:2:50" or "at name (script:2:50)", with a 1-based column.
    [GeneratedRegex(@"\b" + CompiledScript.SourceName + @":(?<line>\d+):(?<column>\d+)")]
    private static partial Regex StackPosition();
}
