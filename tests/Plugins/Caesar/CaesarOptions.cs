using System.ComponentModel.DataAnnotations;

namespace PluggableEcho.Plugins.Caesar;

public sealed class CaesarOptions
{
    [Range(1, 25)]
    public int Shift { get; set; } = 3;

    /// <summary>Shift upper-case letters too.</summary>
    public bool UpperCase { get; set; } = true;

    public Direction Direction { get; set; } = Direction.Forward;
}

public enum Direction
{
    Forward,
    Backward,
}
