namespace AnnotateAnyone.Web.Tests.Hosting;

public sealed class WebStaysFreeOfTorchTests
{
    [Fact]
    public void The_web_build_output_neither_references_nor_ships_libtorch()
    {
        var output = Path.GetDirectoryName(TestEnvironment.HostAssembly("Web"))!;

        var dependencies = File.ReadAllText(Path.Combine(output, "AnnotateAnyone.Web.deps.json"));
        Assert.DoesNotContain("TorchSharp", dependencies);
        Assert.DoesNotContain("libtorch", dependencies);
        Assert.Empty(Directory.GetFiles(output, "*torch*", SearchOption.AllDirectories));
    }

    [Fact]
    public void No_assembly_the_web_host_loads_references_TorchSharp()
    {
        var web = typeof(Program).Assembly;
        var referenced = web.GetReferencedAssemblies().Select(a => a.Name)
            .Concat(typeof(Data.Persistence.AnnotateDbContext).Assembly.GetReferencedAssemblies().Select(a => a.Name));
        Assert.DoesNotContain("TorchSharp", referenced);
    }
}
