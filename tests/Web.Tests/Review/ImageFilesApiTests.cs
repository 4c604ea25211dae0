using System.Net;
using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace AnnotateAnyone.Web.Tests.Review;

public sealed class ImageFilesApiTests(WebApp app) : IClassFixture<WebApp>
{
    private const byte Shoe = 9, OtherShoe = 10, Face = 11;

    private IObjectStore Store => app.Services.GetRequiredService<IObjectStore>();

    /// <summary>An image with the given stored thumbnail and parsing map (each under a key of its own, or none).</summary>
    private async Task<long> AddImageAsync(byte[]? thumbnail = null, byte[]? map = null)
    {
        async Task<string?> StoreAsync(byte[]? bytes, string type)
        {
            if (bytes is null) return null;
            var key = $"files/{Guid.NewGuid():N}";
            await Store.PutAsync(key, new MemoryStream(bytes), type);
            return key;
        }
        var thumbnailKey = await StoreAsync(thumbnail, "image/jpeg");
        var mapKey = await StoreAsync(map, "image/png");
        await using var connection = await app.Database.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO images (sha256, source_kind, source_uri, original_key, thumbnail_key, parsing_map_key, status, byte_size, flags, is_gold, created_at, updated_at)
            VALUES (decode(md5(random()::text) || md5(random()::text), 'hex'), 1, 'test', 'k', @thumbnail, @map, 0, 0, 0, false, now(), now()) RETURNING id
            """, connection);
        command.Parameters.AddWithValue("thumbnail", (object?)thumbnailKey ?? DBNull.Value);
        command.Parameters.AddWithValue("map", (object?)mapKey ?? DBNull.Value);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A 4 x 2 parsing map: background, face, and a shoe each side.</summary>
    private static byte[] GreyMap()
    {
        using var map = new Image<L8>(4, 2);
        byte[] classes = [0, Face, Shoe, 0, 0, 0, OtherShoe, 0];
        for (var i = 0; i < classes.Length; i++) map[i % 4, i / 4] = new L8(classes[i]);
        using var png = new MemoryStream();
        map.SaveAsPng(png);
        return png.ToArray();
    }

    [Fact]
    public async Task The_veil_leaves_the_groups_classes_clear_and_darkens_the_rest_at_the_maps_size()
    {
        var image = await AddImageAsync(map: GreyMap());
        var client = await app.ApiClientAsync(Roles.Annotator);

        var response = await client.GetAsync($"/api/images/{image}/region?classes={Shoe},{OtherShoe}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        using var veil = Image.Load<Rgba32>(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((4, 2), (veil.Width, veil.Height));
        var clear = Enumerable.Range(0, 8).Where(i => veil[i % 4, i / 4].A == 0).ToArray();
        Assert.Equal([2, 6], clear);
        Assert.All(Enumerable.Range(0, 8).Except(clear), i => Assert.True(veil[i % 4, i / 4].A > 100));
    }

    [Theory]
    [InlineData("shoes")]
    [InlineData("9,300")]
    [InlineData("-1")]
    [InlineData("")]
    public async Task Classes_that_are_not_parsing_class_numbers_are_refused_with_the_form_they_take(string classes)
    {
        var image = await AddImageAsync(map: GreyMap());
        var client = await app.ApiClientAsync(Roles.Annotator);

        var response = await client.GetAsync($"/api/images/{image}/region?classes={classes}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("whole numbers from 0 to 255 separated by commas", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unknown_image_an_image_without_a_map_and_an_unreadable_map_each_say_so()
    {
        var withoutMap = await AddImageAsync(map: null);
        var unreadable = await AddImageAsync(map: "not a png"u8.ToArray());
        var client = await app.ApiClientAsync(Roles.Annotator);

        var unknown = await client.GetAsync("/api/images/99999999/region?classes=9");
        var none = await client.GetAsync($"/api/images/{withoutMap}/region?classes=9");
        var broken = await client.GetAsync($"/api/images/{unreadable}/region?classes=9");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("Image 99999999 does not exist", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Contains("came without a parsing map", await none.Content.ReadAsStringAsync());
        Assert.Equal((HttpStatusCode)422, broken.StatusCode);
        Assert.Contains("parsing map cannot be shown", await broken.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_thumbnail_is_served_with_its_type_and_the_images_hash_as_its_tag_and_not_sent_again_to_a_browser_that_has_it()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
        var image = await AddImageAsync(thumbnail: jpeg);
        var client = await app.ApiClientAsync(Roles.Annotator);

        var first = await client.GetAsync($"/api/images/{image}/thumbnail");
        var again = new HttpRequestMessage(HttpMethod.Get, $"/api/images/{image}/thumbnail");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var second = await client.SendAsync(again);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("image/jpeg", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal(jpeg, await first.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task Head_asks_for_a_files_size_and_type_without_its_bytes_as_download_tools_do()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
        var image = await AddImageAsync(thumbnail: jpeg, map: GreyMap());
        var client = await app.ApiClientAsync(Roles.Annotator);

        var thumbnail = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/images/{image}/thumbnail"));
        var region = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/images/{image}/region?classes=1"));
        var unknown = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/images/99999999/thumbnail"));

        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType?.MediaType);
        Assert.Equal(jpeg.Length, thumbnail.Content.Headers.ContentLength);
        Assert.Empty(await thumbnail.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, region.StatusCode);
        Assert.Equal("image/png", region.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_file_the_image_does_not_have_and_a_file_missing_from_the_store_each_say_so()
    {
        var withoutThumbnail = await AddImageAsync(map: GreyMap());
        var lost = await AddImageAsync(thumbnail: [0xFF, 0xD8], map: GreyMap());
        await using (var connection = await app.Database.DataSource.OpenConnectionAsync())
        await using (var command = new NpgsqlCommand("SELECT thumbnail_key, parsing_map_key FROM images WHERE id = @id", connection))
        {
            command.Parameters.AddWithValue("id", lost);
            await using var row = await command.ExecuteReaderAsync();
            await row.ReadAsync();
            await Store.DeleteAsync(row.GetString(0));
            await Store.DeleteAsync(row.GetString(1));
        }
        var client = await app.ApiClientAsync(Roles.Annotator);

        var none = await client.GetAsync($"/api/images/{withoutThumbnail}/thumbnail");
        var missingThumbnail = await client.GetAsync($"/api/images/{lost}/thumbnail");
        var missingMap = await client.GetAsync($"/api/images/{lost}/region?classes=9");

        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Contains($"Image {withoutThumbnail} has no thumbnail", await none.Content.ReadAsStringAsync());
        Assert.All([missingThumbnail, missingMap], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Contains("missing from the object store", await missingThumbnail.Content.ReadAsStringAsync());
        Assert.Contains("missing from the object store", await missingMap.Content.ReadAsStringAsync());
    }
}
