using Jint;
using Jint.Runtime;

namespace PluggableEcho.Plugins.Script;

/// <summary>
/// A message the script could not handle: it threw, broke a limit or returned something that is
/// not a reply. The pipeline tells the client the message, which says where in the script.
/// </summary>
internal sealed class ScriptFailure : Exception
{
    public ScriptFailure(string message)
        : base(message)
    {
    }

    public ScriptFailure(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ScriptFailure()
    {
    }

    /// <summary>What went wrong and where, or null for an exception that is not the script's doing.</summary>
    public static string? Explain(Exception e, CompiledScript script, ScriptLimits limits)
    {
        string? what = e switch
        {
            JavaScriptException js => js.Error.ToString(),
            TimeoutException => $"ran longer than {limits.TimeMs} ms",
            MemoryLimitExceededException => $"allocated more than {limits.MemoryMb} MiB",
            RecursionDepthOverflowException => $"went deeper than {limits.Recursion} nested calls",
            StatementsCountOverflowException => $"ran more than {limits.Statements} statements",
            _ => null,
        };

        if (what is null)
        {
            return null;
        }

        return JintException.TryGetJavaScriptLocation(e, out Acornima.SourceLocation location)
            ? $"{what} {script.At(location.Start, fullPath: false)}"
            : what;
    }
}
