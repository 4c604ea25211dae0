using System.Text;
using System.Text.Json;
using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.Releases;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Worker.Releases;

namespace AnnotateAnyone.Worker.Tests.Releases;

/// <summary>The JSON of a release row, written straight into bytes, read back by System.Text.Json's own reader.</summary>
public sealed class ReleaseJsonWriterTests
{
    private static readonly TaxonomyVersion Taxonomy = new()
    {
        Id = 1, Name = "test", CreatedBy = "test", Groups =
        [
            new AttributeGroup
            {
                Id = 1, Key = "hair", Name = "Hair", Noun = "hair", ParsingClasses = [], Attributes =
                [
                    new AttributeDefinition
                    {
                        Id = 1, Key = "color", Name = "Color", Kind = AttributeKind.SingleChoice,
                        Values = [new AttributeValue { Id = 11, Key = "dyed", Phrase = "\"dyed\" crème+<pink>" }, new AttributeValue { Id = 12, Key = "black", Phrase = "black" }],
                    },
                    new AttributeDefinition
                    {
                        Id = 2, Key = "length", Name = "Length", Position = 1, Kind = AttributeKind.SingleChoice,
                        Values = [new AttributeValue { Id = 21, Key = "long", Phrase = "long" }],
                    },
                ],
            },
            new AttributeGroup
            {
                Id = 2, Key = "jewelry", Name = "Jewelry", Position = 1, ParsingClasses = [], Attributes =
                [
                    new AttributeDefinition
                    {
                        Id = 3, Key = "items", Name = "Items", Kind = AttributeKind.MultipleChoice, IsTypeNoun = true,
                        Values = [new AttributeValue { Id = 31, Key = "ring", Phrase = "ring" }, new AttributeValue { Id = 32, Key = "necklace", Phrase = "necklace" }],
                    },
                ],
            },
        ],
    };

    [Fact]
    public void A_row_reads_back_with_every_column_its_labels_its_nulls_and_text_that_needs_escaping()
    {
        var columns = new ReleaseColumns(new TaxonomyIndex(Taxonomy), new Dictionary<int, int> { [40] = 3 });
        var record = new ReleaseRecord(3) { ImageId = 7, Sha256 = [1, 2, 255], Width = 640, Height = 480, OriginalKey = "originals/01/02/a+b.jpg" };
        record.Values[0] = [11];
        record.Sources[0] = LabelSource.Human;
        record.Values[2] = [31, 32];
        record.Sources[2] = LabelSource.AiAccepted;
        record.Confidences[2] = 0.8734567f;
        record.ModelVersionIds[2] = 40;
        var row = new ReleaseRow(columns);
        row.Set(record, image: [0, 1, 2, 250]);
        var json = new ReleaseJsonWriter();

        json.WriteObject(new ReleaseJsonLayout(ReleaseFieldSet.Of(columns)), row, more =>
        {
            more.Raw(""","bytes":"""u8);
            more.Base64(row.Image!);
        });

        using var parsed = JsonDocument.Parse(Encoding.UTF8.GetString(json.Written));
        var root = parsed.RootElement;
        Assert.Equal([0, 1, 2, 250], root.GetProperty("bytes").GetBytesFromBase64());
        Assert.Equal(7, root.GetProperty("id").GetInt64());
        Assert.Equal("0102ff", root.GetProperty("sha256").GetString());
        Assert.Equal("originals/01/02/a+b.jpg", root.GetProperty("storage_key").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("parsing_map_key").ValueKind);
        Assert.Equal(row.Caption, root.GetProperty("caption").GetString());
        Assert.Contains("\"dyed\" crème+<pink>", root.GetProperty("caption_hair").GetString());
        Assert.Equal("dyed", root.GetProperty("hair_color").GetString());
        Assert.Equal("human", root.GetProperty("hair_color__source").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("hair_color__confidence").ValueKind);
        foreach (var name in new[] { "hair_length", "hair_length__source", "hair_length__confidence", "hair_length__model_version" })
            Assert.Equal(JsonValueKind.Null, root.GetProperty(name).ValueKind);
        Assert.Equal(["ring", "necklace"], root.GetProperty("jewelry_items").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(0.873457f, root.GetProperty("jewelry_items__confidence").GetSingle());
        Assert.Equal(3, root.GetProperty("jewelry_items__model_version").GetInt32());
        Assert.Equal(ReleaseFieldSet.Of(columns).Select(f => f.Name), root.EnumerateObject().Select(p => p.Name).SkipLast(1));
    }
}
