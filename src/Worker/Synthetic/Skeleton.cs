using SkiaSharp;

namespace AnnotateAnyone.Worker.Synthetic;

/// <summary>
/// Joint positions of a figure in figure units: y from the top of the head (0) down, x from the body's centre.
/// "Left" is the viewer's left. Proportions follow age (a child's head is a larger share of its height) and
/// build; posture bends the limbs.
/// </summary>
public sealed record Skeleton(
    SKPoint Head, float HeadRadius, SKPoint Neck, float ShoulderY, float ShoulderHalf, float WaistY, float HipY, float HipHalf,
    SKPoint ElbowL, SKPoint ElbowR, SKPoint WristL, SKPoint WristR,
    SKPoint KneeL, SKPoint KneeR, SKPoint AnkleL, SKPoint AnkleR,
    float LimbScale, float FeetY)
{
    public SKPoint ShoulderL => new(-ShoulderHalf, ShoulderY);
    public SKPoint ShoulderR => new(ShoulderHalf, ShoulderY);
    public SKPoint HipL => new(-HipHalf * 0.6f, HipY);
    public SKPoint HipR => new(HipHalf * 0.6f, HipY);

    public static Skeleton For(Person person, float widthFactor, Random random)
    {
        var head = person["person.age"] switch { "child" => 0.19f, "teenager" => 0.15f, "young_adult" => 0.135f, _ => 0.13f };
        var feminine = person["person.gender_presentation"] == "feminine";
        var masculine = person["person.gender_presentation"] == "masculine";
        var (shoulderWidth, hipWidth, limb) = person["body.build"] switch
        {
            "slim" => (0.9f, 0.9f, 0.85f),
            "athletic" => (1.15f, 0.95f, 1.1f),
            "curvy" => (1.0f, 1.3f, 1.0f),
            "heavy" => (1.2f, 1.3f, 1.3f),
            _ => (1.0f, 1.0f, 1.0f),
        };
        var shoulderHalf = (masculine ? 0.125f : feminine ? 0.1f : 0.112f) * shoulderWidth * widthFactor;
        var hipHalf = (feminine ? 0.1f : 0.085f) * hipWidth * widthFactor;
        var headY = head * 0.5f;
        var neckY = head + 0.015f;
        var shoulderY = head + 0.045f;
        var torso = 1 - head;
        var waistY = shoulderY + torso * 0.27f;
        var hipY = shoulderY + torso * 0.4f;
        var kneeY = hipY + (1 - hipY) * 0.5f;
        const float ankleY = 0.96f;
        var jitter = (float)(random.NextDouble() - 0.5) * 0.02f;
        var elderlyStoop = person["person.age"] == "elderly" ? 0.015f : 0f;
        var headPoint = new SKPoint(elderlyStoop, headY);

        SKPoint P(float x, float y) => new(x * widthFactor, y);
        var side = shoulderHalf + 0.03f * limb;
        return person["pose.posture"] switch
        {
            "walking" => new Skeleton(headPoint, head * 0.5f, new(0, neckY), shoulderY, shoulderHalf, waistY, hipY, hipHalf,
                P(-side - 0.03f, shoulderY + torso * 0.2f), P(side - 0.02f, shoulderY + torso * 0.19f),
                P(-side - 0.06f, hipY - 0.02f), P(side + 0.02f, hipY - 0.05f),
                P(-0.07f, kneeY), P(0.05f, kneeY - 0.01f), P(-0.13f, ankleY), P(0.1f, ankleY - 0.01f), limb, 1f),
            "running" => new Skeleton(headPoint, head * 0.5f, new(0, neckY), shoulderY, shoulderHalf, waistY, hipY, hipHalf,
                P(-side - 0.05f, shoulderY + torso * 0.15f), P(side + 0.04f, shoulderY + torso * 0.12f),
                P(-side + 0.02f, shoulderY + torso * 0.05f), P(side - 0.02f, shoulderY + torso * 0.25f),
                P(-0.09f, kneeY - 0.09f), P(0.06f, kneeY + 0.02f), P(-0.05f, ankleY - 0.1f), P(0.16f, ankleY - 0.05f), limb, 1f),
            "sitting" => new Skeleton(headPoint, head * 0.5f, new(0, neckY), shoulderY, shoulderHalf, waistY, hipY, hipHalf,
                P(-side, shoulderY + torso * 0.2f), P(side, shoulderY + torso * 0.2f),
                P(-side + 0.03f, hipY + 0.02f), P(side - 0.03f, hipY + 0.02f),
                P(-0.1f, hipY + 0.06f), P(0.1f, hipY + 0.06f), P(-0.1f, hipY + 0.3f), P(0.1f, hipY + 0.3f), limb, hipY + 0.34f),
            "crouching" => new Skeleton(headPoint with { Y = headY + 0.12f }, head * 0.5f, new(0, neckY + 0.12f), shoulderY + 0.12f, shoulderHalf,
                waistY + 0.1f, hipY + 0.12f, hipHalf,
                P(-side, shoulderY + 0.12f + torso * 0.17f), P(side, shoulderY + 0.12f + torso * 0.17f),
                P(-0.09f, hipY + 0.1f), P(0.09f, hipY + 0.1f),
                P(-0.17f, hipY + 0.1f), P(0.17f, hipY + 0.1f), P(-0.1f, hipY + 0.34f), P(0.1f, hipY + 0.34f), limb, hipY + 0.38f),
            _ => new Skeleton(headPoint, head * 0.5f, new(0, neckY), shoulderY, shoulderHalf, waistY, hipY, hipHalf,
                P(-side - jitter, shoulderY + torso * 0.2f), P(side + jitter, shoulderY + torso * 0.2f),
                P(-side - 0.01f, hipY + 0.02f), P(side + 0.01f, hipY + 0.02f),
                P(-0.055f, kneeY), P(0.055f, kneeY), P(-0.06f, ankleY), P(0.06f, ankleY), limb, 1f),
        };
    }
}
