using System.ComponentModel.DataAnnotations;

namespace AnnotateAnyone.Data.Jobs;

/// <summary>A Worker self-test: compute on the device for <see cref="DurationSeconds"/> (0: a single product).</summary>
public sealed record SelfTestParameters([property: Range(0, 3600)] int DurationSeconds = 0);
