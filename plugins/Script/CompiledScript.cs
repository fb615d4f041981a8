using System.Diagnostics.CodeAnalysis;
using Acornima;
using Jint;

namespace PluggableEcho.Plugins.Script;

/// <summary>
/// A script parsed once, as the body of a function of <c>(message, state, connection)</c>, in
/// strict mode. A prepared script is immutable, so the transforms of every loop share it.
/// </summary>
internal sealed class CompiledScript
{
    /// <summary>What Jint calls the source in its stack traces.</summary>
    public const string SourceName = "script";

    // The header has a line of its own, so a script's lines are the source's lines minus one.
    private const string Header = "(function (message, state, connection) {\n";
    private const int HeaderLines = 1;
    private const string Footer = "\n})";

    private CompiledScript(Prepared<Acornima.Ast.Script> prepared, ScriptOrigin origin)
    {
        Prepared = prepared;
        Origin = origin;
    }

    /// <summary>Evaluates to the function.</summary>
    public Prepared<Acornima.Ast.Script> Prepared { get; }

    public ScriptOrigin Origin { get; }

    /// <summary>Turns a position in the prepared source into one in the script.</summary>
    public string At(Position position, bool fullPath) => Origin.At(position.Line - HeaderLines, position.Column, fullPath);

    /// <param name="error">Why not, with the script's own line and column.</param>
    public static bool TryCompile(ScriptOptions options, [NotNullWhen(true)] out CompiledScript? compiled, [NotNullWhen(false)] out string? error)
    {
        compiled = null;
        string source;
        if (options.Script is { } inline)
        {
            source = inline;
        }
        else if (!ScriptSource.TryRead(options.ScriptFile!, out source, out error))
        {
            return false;
        }

        int lineCount = source.Count(c => c == '\n') + 1;
        var origin = new ScriptOrigin(options.ScriptFile, options.ScriptFile is null ? options.FirstLine : null, lineCount);
        Prepared<Acornima.Ast.Script> prepared;
        try
        {
            prepared = Engine.PrepareScript(Header + source + Footer, SourceName, strict: true);
        }
        catch (ScriptPreparationException e) when (e.InnerException is ParseErrorException syntax)
        {
            error = $"SyntaxError {origin.At(syntax.LineNumber - HeaderLines, syntax.Column, fullPath: true)}: {syntax.Description}";
            return false;
        }

        // A script such as "}); (function () {" would close the function early and open another.
        if (prepared.Program is not { Body.Count: 1 })
        {
            error = "the script's braces do not balance: it is the body of a function, and must not close it";
            return false;
        }

        compiled = new CompiledScript(prepared, origin);
        error = null;
        return true;
    }
}
