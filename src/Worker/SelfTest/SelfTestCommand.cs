using System.Text.Json;
using AnnotateAnyone.Model.Compute;

namespace AnnotateAnyone.Worker.SelfTest;

/// <summary>
/// `AnnotateAnyone.Worker self-test`: loads libtorch and computes on this node's device, with no database or
/// queue involved. The first thing to run on a new node (or container image) when jobs fail to start.
/// </summary>
public static class SelfTestCommand
{
    public static bool IsCommand(string[] args) => args is ["self-test", ..];

    public static int Run()
    {
        var device = ComputeDevice.Detect();
        var result = TensorSelfTest.Run(device, TimeSpan.Zero, CancellationToken.None);
        Console.WriteLine(JsonSerializer.Serialize(new { device.IsCuda, result.Device, result.Checksum, result.GigaflopsPerSecond }));
        return 0;
    }
}
