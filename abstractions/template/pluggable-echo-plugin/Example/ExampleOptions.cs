using System.ComponentModel.DataAnnotations;

namespace Example;

/// <summary>
/// A step's <c>options:</c>, snake_case keys to properties (<c>options: { suffix: "?!" }</c>),
/// checked with their DataAnnotations attributes before the server starts.
/// </summary>
public sealed class ExampleOptions
{
    /// <summary>Written after each message.</summary>
    [Required]
    [MaxLength(64)]
    public string Suffix { get; set; } = "!";
}
