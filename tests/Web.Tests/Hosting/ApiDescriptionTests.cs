using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;
using Microsoft.Extensions.DependencyInjection;

namespace AnnotateAnyone.Web.Tests.Hosting;

public sealed class ApiDescriptionTests(WebApp app) : IClassFixture<WebApp>
{
    [Fact]
    public async Task The_openapi_document_lists_every_api_route_with_its_methods_and_only_those()
    {
        var document = await DocumentAsync();

        var described = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(method => $"{method.Name.ToUpperInvariant()} {path.Name}"))
            .ToHashSet();
        var mapped = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(endpoint => endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods
                .Select(method => $"{method} {Described(endpoint.RoutePattern.RawText!)}"))
            .ToHashSet();

        Assert.Equal([], mapped.Except(described).Order());
        Assert.Equal([], described.Except(mapped).Order());
        Assert.Contains("POST /api/rounds", described);
        Assert.Contains("POST /api/review/claim", described);
    }

    [Fact]
    public async Task The_document_says_how_to_authenticate_and_describes_request_bodies()
    {
        var document = await DocumentAsync();

        Assert.StartsWith("3.1", document.GetProperty("openapi").GetString());
        var bearer = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        Assert.True(document.GetProperty("security")[0].TryGetProperty("bearer", out _));
        var paths = document.GetProperty("paths");
        Assert.True(paths.GetProperty("/api/rounds").GetProperty("post").GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        // Read by hand as a JSON element, yet described as the sources it takes, each under its "kind".
        var source = paths.GetProperty("/api/ingest/runs").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var kinds = source.GetProperty("anyOf").EnumerateArray()
            .Select(kind => kind.GetProperty("properties").GetProperty("kind").GetProperty("enum")[0].GetString()).ToArray();
        Assert.Contains("folder", kinds);
        Assert.Contains("synthetic", kinds);
        // Files answered as streams are described by their media types.
        string[] FileTypes(string path) => [.. paths.GetProperty(path).GetProperty("get").GetProperty("responses").GetProperty("200")
            .GetProperty("content").EnumerateObject().Select(type => type.Name)];
        Assert.Equal(["image/jpeg"], FileTypes("/api/images/{id}/thumbnail"));
        Assert.Contains("application/vnd.apache.parquet", FileTypes("/api/releases/{id}/files/{path}"));
    }

    [Fact]
    public async Task Every_operation_names_problem_details_as_its_refusal()
    {
        var document = await DocumentAsync();

        var defaults = document.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject())
            .Select(operation => operation.Value.GetProperty("responses").GetProperty("4XX").GetProperty("content")
                .GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString())
            .Distinct();
        Assert.Equal(["#/components/schemas/ProblemDetails"], defaults);
        Assert.True(document.GetProperty("components").GetProperty("schemas").GetProperty("ProblemDetails").GetProperty("properties").TryGetProperty("detail", out _));
    }

    [Fact]
    public async Task Every_operation_says_what_it_does_under_a_name_of_its_own_and_an_area_the_document_describes()
    {
        var document = await DocumentAsync();

        var areas = document.GetProperty("tags").EnumerateArray()
            .Where(tag => tag.GetProperty("description").GetString() is { Length: > 0 })
            .Select(tag => tag.GetProperty("name").GetString()).ToHashSet();
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (Name: $"{operation.Name} {path.Name}", operation.Value))).ToList();
        Assert.Equal([], operations.Where(o => !o.Value.TryGetProperty("summary", out _)).Select(o => o.Name));
        string Roles(string path, string method) => operations.Single(o => o.Name == $"{method} {path}").Value.GetProperty("description").GetString()!;
        Assert.Equal("Needs the role Admin or DataLead or Ops.", Roles("/api/images/{id}", "get"));
        Assert.Equal("Needs the role Admin or Annotator or DataLead.", Roles("/api/review/claim", "post"));
        Assert.Equal("Open to any account.", Roles("/api/tokens", "get"));
        var names = operations.Select(o => o.Value.GetProperty("operationId").GetString()).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Contains("postRoundsIdFinish", names);
        Assert.Equal([], operations.Where(o => !o.Value.GetProperty("tags").EnumerateArray().All(tag => areas.Contains(tag.GetString())))
            .Select(o => o.Name));
    }

    [Fact]
    public async Task The_document_reads_back_in_an_openapi_reader_without_errors_or_dangling_references()
    {
        await using var body = await app.Client().GetStreamAsync(ApiDescription.Path);

        var read = await OpenApiDocument.LoadAsync(body, "json");

        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, read.Diagnostic!.SpecificationVersion);
        Assert.Equal([], read.Diagnostic.Errors.Select(e => e.ToString()));
        Assert.Equal([], read.Diagnostic.Warnings.Select(e => e.ToString()));
        Assert.Equal([], read.Document!.Validate(ValidationRuleSet.GetDefaultRuleSet())!.Select(e => e.ToString()));
    }

    [Fact]
    public async Task Anonymous_callers_are_answered_from_the_document_built_last()
    {
        var client = app.Client();

        using var first = await client.GetAsync(ApiDescription.Path);
        using var second = await client.GetAsync(ApiDescription.Path);

        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.True(second.Headers.Age is not null, "the second answer came from the output cache");
    }

    private async Task<JsonElement> DocumentAsync()
    {
        // Anyone may read it, as an outside tool does before it has a token.
        var response = await app.Client().GetAsync(ApiDescription.Path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    /// <summary>A route as OpenAPI writes it: constraints and catch-all stars dropped ("{id:long}" is "{id}", "{**path}" "{path}"), a group's own "/" left off.</summary>
    private static string Described(string route) =>
        System.Text.RegularExpressions.Regex.Replace(route, @"\{\**([^}:?=]+)[^}]*\}", "{$1}").TrimEnd('/');
}
