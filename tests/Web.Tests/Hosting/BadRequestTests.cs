using System.Net;
using System.Net.Http.Json;
using System.Text;
using AnnotateAnyone.Data.Accounts;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AnnotateAnyone.Web.Tests.Hosting;

/// <summary>
/// Every API endpoint, found from the app's own route table (so endpoints added later are covered too), is sent what a
/// careless script or a hostile client might send: bodies that are not what it reads, query values out of range or of
/// the wrong kind, ids that do not exist. Each must be refused as the caller's mistake (4xx), never answered with a
/// server error, and a 404 must say what was not found.
/// </summary>
public sealed class BadRequestTests(WebApp app) : IClassFixture<WebApp>
{
    public static TheoryData<string> Bodies => new()
    {
        "not json",
        "null",
        "[]",
        "{}",
        """{"kind": "folder", "name": "", "version": "", "email": "", "password": "", "roles": [], "folder": "", "labelFiles": [], "groups": [], "images": []}""",
        "42",
        """{"name": 5, "version": [], "spec": "x", "images": {}, "attribute": null}""",
        """{"size": 1e400, "count": -99999999999999999999, "id": "12"}""",
        """{"name": "a\u0000b", "email": "\u0000", "folder": "\u0000", "roles": [null], "labelFiles": [null], "groups": [null], "images": [null], "values": [null]}""",
        "{",
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_malformed_body_is_refused_as_the_callers_mistake_on_every_endpoint(string body)
    {
        var client = await app.ApiClientAsync([.. Roles.All]);
        var failures = new List<string>();
        foreach (var (method, path) in ApiEndpoints("POST", "PUT", "PATCH"))
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Json(body) };
            using var response = await client.SendAsync(request);
            if ((int)response.StatusCode >= 500) failures.Add($"{method} {path}: {(int)response.StatusCode}");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData("take=-5&after=-9&outcome=Nope&status=Nope&kind=Nope&id=abc")]
    [InlineData("take=100000000&after=99999999999999&id=-1")]
    [InlineData("take=0&id=0")]
    [InlineData("actor=%00&action=%00&subjectType=%00&status=%00&attribute=%00&value=%00")]
    public async Task Nonsense_query_values_are_refused_as_the_callers_mistake_on_every_read(string query)
    {
        var client = await app.ApiClientAsync([.. Roles.All]);
        var failures = new List<string>();
        foreach (var (_, path) in ApiEndpoints("GET"))
        {
            using var response = await client.GetAsync($"{path}?{query}");
            if ((int)response.StatusCode >= 500) failures.Add($"GET {path}: {(int)response.StatusCode}");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Asking_for_an_id_that_does_not_exist_says_which_on_every_endpoint()
    {
        var client = await app.ApiClientAsync([.. Roles.All]);
        var failures = new List<string>();
        foreach (var (method, path) in ApiEndpoints("GET", "POST", "PUT", "DELETE"))
        {
            var unknown = path.Replace("/1", "/987654321", StringComparison.Ordinal);
            using var request = new HttpRequestMessage(new HttpMethod(method), unknown) { Content = method is "GET" or "DELETE" ? null : Json("{}") };
            using var response = await client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.NotFound) continue;
            var body = await response.Content.ReadAsStringAsync();
            if (!body.Contains("\"detail\":", StringComparison.Ordinal)) failures.Add($"{method} {unknown}: a 404 that does not say what was not found");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData(Roles.DataLead, "POST", "/api/rounds", """{"size": 1.5}""", "'size' must be a whole number from -2,147,483,648 to 2,147,483,647 (line 1, near position 12).")]
    [InlineData(Roles.DataLead, "POST", "/api/rounds", """{"size": 99999999999}""", "'size' must be a whole number from -2,147,483,648 to 2,147,483,647 (line 1,")]
    [InlineData(Roles.DataLead, "POST", "/api/rounds", "", "The request has no body: send an object as JSON; it reads 'size'.")]
    [InlineData(Roles.DataLead, "POST", "/api/releases/preview", """{"filter": {"rounds": [1, "two"]}}""", "'filter.rounds[1]' must be a whole number from")]
    [InlineData(Roles.DataLead, "POST", "/api/rounds", "[]", "The body must be an object (line 1, near position 1).")]
    [InlineData(Roles.DataLead, "PUT", "/api/routing/targets/person.age", """{"target": "high"}""", "'target' must be a number")]
    [InlineData(Roles.DataLead, "POST", "/api/releases/preview", """{"filter": {"minWidth": "x"}}""", "'filter.minWidth' must be a whole number")]
    [InlineData(Roles.DataLead, "POST", "/api/releases/preview", """{"filter": {"requiredAttributes": "hair.color"}}""", "'filter.requiredAttributes' must be a list of strings")]
    [InlineData(Roles.DataLead, "POST", "/api/releases/preview", """{"filter": {"verified": false}}""", "'filter.verified' is not a field this request reads; it reads 'taxonomyVersionId', 'verifiedOnly',")]
    [InlineData(Roles.DataLead, "POST", "/api/proposals?model=m&version=1", """[{"image": 1, "attribute": "person.age", "values": "adult", "confidence": 0.5}]""",
        "The body is not a JSON array of proposals: '[0].values' must be a list of strings")]
    [InlineData(Roles.DataLead, "POST", "/api/proposals?model=m&version=1", "x", "The body is not valid JSON (line 1, near position 1): 'x' is an invalid start of a value.")]
    [InlineData(Roles.DataLead, "POST", "/api/taxonomy", """{"name": "v", "spec": {"groups": [{"key": "hair", "name": "Hair", "attributes": []}]}}""",
        "The body leaves out 'parsingClasses' in 'spec.groups[0]', which is required.")]
    [InlineData(Roles.DataLead, "POST", "/api/rounds", "{", "The body is not valid JSON (line 1, near position 1): it ends before an object or list it opens is closed.")]
    [InlineData(Roles.DataLead, "POST", "/api/rounds", "{\n  \"size\": 10,\n}", "The body is not valid JSON (line 3, near position 1): a comma stands before a closing brace or bracket.")]
    [InlineData(Roles.DataLead, "POST", "/api/rounds", "{'size': 10}", "The body is not valid JSON (line 1, near position 1): a field's name must be in double quotes.")]
    [InlineData(Roles.DataLead, "POST", "/api/rounds", """{"size": 10}}""", "The body is not valid JSON (line 1, near position 12): more follows the end of the body's value.")]
    [InlineData(Roles.DataLead, "POST", "/api/rounds", "{\"size\": 10 // images\n}", "The body is not valid JSON (line 1, near position 12): JSON has no comments (a '/' stands outside a string).")]
    [InlineData(Roles.Ops, "GET", "/api/jobs?status=Bogus", null, "'status' must be one of Queued, Running, Succeeded, Failed, Cancelled, not \"Bogus\".")]
    [InlineData(Roles.Admin, "GET", "/api/audit?subject=42", null, "'subject' is not read here; GET /api/audit reads 'action', 'subjectType', 'subjectId', 'actor', 'before', 'take'.")]
    [InlineData(Roles.DataLead, "GET", "/api/rounds?status=Open", null, "'status' is not read here: GET /api/rounds takes nothing in its query.")]
    [InlineData(Roles.Ops, "GET", "/api/jobs?status=99", null, "'status' must be one of Queued, Running, Succeeded, Failed, Cancelled, not \"99\".")]
    [InlineData(Roles.Admin, "POST", "/api/users", """{"email": "a@example.com", "password": "long enough 1A!", "roles": ["Annotator", null]}""",
        "'roles' must not hold null items (line 1,")]
    [InlineData(Roles.DataLead, "POST", "/api/taxonomy", """{"name": "v", "spec": {"groups": [null]}}""", "'spec.groups' must not hold null items")]
    [InlineData(Roles.DataLead, "POST", "/api/releases/import", """{"folder": "/tmp", "labelFiles": [null]}""", "'labelFiles' must not hold null items")]
    [InlineData(Roles.Annotator, "POST", "/api/tokens", """{"name": "laptop\u0000", "expiresInDays": 30}""",
        "'name' must not contain the NUL character (\\u0000 in JSON, %00 in an address) (line 1,")]
    [InlineData(Roles.Admin, "GET", "/api/audit?actor=a%00", null, "'actor' must not contain the NUL character (\\u0000 in JSON, %00 in an address).")]
    [InlineData(Roles.Ops, "GET", "/api/jobs?take=many", null, "'take' must be a whole number from -2,147,483,648 to 2,147,483,647, not \"many\".")]
    public async Task An_unreadable_request_is_refused_naming_the_field_and_what_it_takes(string role, string method, string path, string? body, string detail)
    {
        var client = await app.ApiClientAsync(role);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : Json(body) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(detail, (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Reading_under_an_id_that_does_not_exist_is_not_found_rather_than_empty()
    {
        var client = await app.ApiClientAsync([.. Roles.All]);
        var failures = new List<string>();
        foreach (var (_, path) in ApiEndpoints("GET").Where(e => e.Path.Contains("/1", StringComparison.Ordinal) || e.Path.Contains(Guid.Empty.ToString(), StringComparison.Ordinal)))
        {
            var unknown = path.Replace("/1", "/987654321", StringComparison.Ordinal);
            using var response = await client.GetAsync(unknown);
            if (response.StatusCode != HttpStatusCode.NotFound) failures.Add($"GET {unknown}: {(int)response.StatusCode}");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task A_body_without_a_required_field_is_refused_naming_the_field()
    {
        var admin = await app.ApiClientAsync(Roles.Admin);

        var response = await admin.PostAsync("/api/users", Json("""{"password": "correct horse battery"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'email'", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_null_where_a_value_is_required_is_refused_naming_the_field()
    {
        var admin = await app.ApiClientAsync(Roles.Admin);
        var user = await app.CreateUserAsync(Roles.Annotator);

        var response = await admin.PutAsync($"/api/users/{user.Id}/roles", Json("""{"roles": null}"""));

        Assert.Equal("'roles' must not be null: send a list of strings (line 1, near position 14).", await Problem.DetailAsync(response, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task An_ingest_source_without_its_kind_is_refused_naming_the_kinds()
    {
        var ingest = await app.ApiClientAsync(Roles.DataLead);

        var response = await ingest.PostAsync("/api/ingest/runs", Json("""{"path": "/data/people"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\\\"kind\\\" is folder, bucket, urls, urlFile or synthetic", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(null, "Send an ingest source: a JSON object whose \"kind\" is folder")]
    [InlineData("[]", "The body must be an object. Send an ingest source:")]
    [InlineData("""{"kind": "s3", "path": "/data"}""", "\"s3\" is not a kind of ingest source. Send an ingest source:")]
    [InlineData("""{"kind": "folder", "path": 123}""", "'path' must be a string (line 1, near position 30).")]
    [InlineData("""{"kind": "folder"}""", "The body leaves out 'path', which is required.")]
    [InlineData("""{"kind": "synthetic", "count": 2, "sead": 7}""", "'sead' is not a field this request reads; it reads 'count', 'seed', 'width', 'height'")]
    public async Task An_unreadable_ingest_source_is_refused_in_the_terms_of_the_kind_it_names(string? body, string detail)
    {
        var ingest = await app.ApiClientAsync(Roles.DataLead);

        var response = await ingest.PostAsync("/api/ingest/runs", body is null ? null : Json(body));

        Assert.StartsWith(detail, await Problem.DetailAsync(response, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task An_ingest_source_may_name_its_kind_after_its_fields_and_leave_out_optional_ones()
    {
        var ingest = await app.ApiClientAsync(Roles.DataLead);

        var response = await ingest.PostAsync("/api/ingest/runs", Json("""{"count": 2, "kind": "synthetic"}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("2 synthetic people (seed 1, 512 x 512)", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Answers_write_a_null_the_types_do_not_expect_instead_of_failing()
    {
        var json = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;

        var written = System.Text.Json.JsonSerializer.Serialize(new Data.Releases.ReleaseFile(null!, 1, "ab"), json);

        Assert.Equal("""{"path":null,"size":1,"sha256":"ab"}""", written);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>The API's endpoints that answer any of <paramref name="methods"/>, with their route parameters filled in.</summary>
    private IEnumerable<(string Method, string Path)> ApiEndpoints(params string[] methods)
    {
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        foreach (var endpoint in endpoints)
        {
            var template = endpoint.RoutePattern.RawText ?? "";
            if (!template.StartsWith("/api/", StringComparison.Ordinal)) continue;
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Intersect(methods) ?? [])
                yield return (method, Concrete(template));
        }
    }

    /// <summary>A route template with each parameter given a value of its kind ("{id:long}" becomes 1).</summary>
    private static string Concrete(string template) =>
        System.Text.RegularExpressions.Regex.Replace(template, @"\{\*{0,2}([^}:]+)(:([^}]+))?\}", m => m.Groups[3].Value switch
        {
            "int" or "long" => "1",
            "guid" => Guid.Empty.ToString(),
            _ => "x",
        });
}
