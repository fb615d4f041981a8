using System.ComponentModel.DataAnnotations;

namespace PluggableEcho.Plugins.Script;

/// <summary>
/// A script step: the body of a function of <c>(message, state, connection)</c>, inline or in a
/// file, and the limits it runs under. Checking the options parses the script, once, so a syntax
/// error stops start-up.
/// </summary>
public sealed class ScriptOptions : IValidatableObject
{
    /// <summary>The script's text.</summary>
    public string? Script { get; set; }

    /// <summary>A file holding the script, instead of <see cref="Script"/>.</summary>
    public string? ScriptFile { get; set; }

    /// <summary>
    /// The line of the config that the inline script's first line is on, so that positions can be
    /// given there too. The host sets it in the <c>- script:</c> step form, as it does for any
    /// transform named by its option whose options take <c>first_line</c>.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int? FirstLine { get; set; }

    public ScriptLimits Limits { get; set; } = new();

    /// <summary>Set once the options are checked; shared by the steps of every loop.</summary>
    internal CompiledScript? Compiled { get; private set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        Compiled = null;
        if ((Script is null) == (ScriptFile is null))
        {
            string problem = Script is null ? "no script: give it inline (script) or in a file (script_file)" : "give the script inline (script) or in a file (script_file), not both";
            return [new ValidationResult(problem, [nameof(Script)])];
        }

        if (!CompiledScript.TryCompile(this, out CompiledScript? compiled, out string? error))
        {
            return [new ValidationResult(error, [Script is null ? nameof(ScriptFile) : nameof(Script)])];
        }

        Compiled = compiled;
        return [];
    }
}

/// <summary>What one message may cost a script; breaking a limit fails that message only.</summary>
public sealed class ScriptLimits
{
    /// <summary>Wall-clock time. The loop serves no one else meanwhile, hence the small default.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan Time { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>What the script may allocate, in MiB, measured as Jint measures it.</summary>
    [Range(1, 1024)]
    public int MemoryMb { get; set; } = 16;

    /// <summary>Nested calls. Bounded so that a deep recursion cannot overflow the loop thread's stack.</summary>
    [Range(1, 1000)]
    public int Recursion { get; set; } = 100;

    /// <summary>Statements run; 0 for no limit other than the time.</summary>
    [Range(0, int.MaxValue - 1)]
    public int Statements { get; set; }
}
