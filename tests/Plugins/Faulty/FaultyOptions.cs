using System.ComponentModel.DataAnnotations;

namespace PluggableEcho.Plugins.Faulty;

/// <summary>Options whose own code can fail, and which nest another options object.</summary>
public sealed class FaultyOptions
{
    private string? _mood = "calm";

    [Required]
    public string? Mood
    {
        get => _mood;
        set => _mood = value == "angry" ? throw new ArgumentException("refuses to be angry") : value;
    }

    public NestedOptions Nested { get; set; } = new();
}

public sealed class NestedOptions
{
    [Range(1, 5)]
    public int Depth { get; set; } = 1;
}
