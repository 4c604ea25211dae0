using System.Reflection;

namespace AnnotateAnyone.TestSupport;

/// <summary>
/// What the test script (./test) started for this run: a throwaway PostgreSQL cluster and an S3 server.
/// Tests never start their own shared servers; running them without the script fails with instructions.
/// </summary>
public static class TestEnvironment
{
    public static string PostgresServer => Required("AA_TEST_PG", "a PostgreSQL server connection string");

    public static string S3Endpoint => Required("AA_TEST_S3", "an S3 server endpoint (host:port)");

    public const string S3AccessKey = "S3RVER";
    public const string S3SecretKey = "S3RVER";

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The configuration (Debug/Release) this test assembly was built in; host outputs match it.</summary>
    public static string Configuration { get; } =
        typeof(TestEnvironment).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The build output of a host project (Web or Worker), as the test script built it.</summary>
    public static string HostAssembly(string host) =>
        Path.Combine(RepositoryRoot, "src", host, "bin", Configuration, "net10.0", "linux-x64", $"AnnotateAnyone.{host}.dll");

    /// <summary>
    /// A loopback port nothing listens on at the moment of asking, for a server a test starts itself. It is under
    /// Linux's ephemeral range (32768 and up), where outgoing connections take their local ports: one of them holding it
    /// by the time the server starts would refuse the server as surely as a listener (as scripts/lib.sh's free_port).
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            var port = Random.Shared.Next(20000, 32000);
            try
            {
                using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (System.Net.Sockets.SocketException)
            {
                // Taken: try another.
            }
        }
    }

    private static string Required(string variable, string what) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set: these tests need {what}. Run them with ./test, which starts one.");

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AnnotateAnyone.sln"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find AnnotateAnyone.sln above the test output folder.");
    }
}
