using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AnnotateAnyone.Web.Tests;

/// <summary>The API's refusals: problem details whose detail says what was wrong.</summary>
public static class Problem
{
    /// <summary>Checks the status and that the body is problem details; returns its detail.</summary>
    public static async Task<string> DetailAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
    }
}
