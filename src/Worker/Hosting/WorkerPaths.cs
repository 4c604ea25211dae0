namespace AnnotateAnyone.Worker.Hosting;

/// <summary>
/// Why a folder a user named cannot be read on this Worker machine, said the same way by every job that reads one:
/// the machine is named because in a deployment of many Workers the folder must be mounted on each of them.
/// </summary>
public static class WorkerPaths
{
    /// <summary>Why <paramref name="path"/> is no folder here (a file, or nothing); <paramref name="holding"/> says what the folder should hold.</summary>
    public static string NotAFolder(string path, string holding) => File.Exists(path)
        ? $"'{path}' is a file on Worker machine {Environment.MachineName}, not a folder: name the folder that holds {holding}."
        : $"The folder '{path}' does not exist on Worker machine {Environment.MachineName}.";
}
