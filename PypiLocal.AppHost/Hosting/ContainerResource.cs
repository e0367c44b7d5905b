namespace PypiLocal.AppHost.Hosting;

/// <summary>A container image with its entrypoint, args and volumes (container.v0).</summary>
internal class ContainerResource(string name, string image, string tag) : Resource(name)
{
    public string Image { get; } = image;
    public string Tag { get; } = tag;
    public string? Entrypoint { get; init; }
    public List<string> Args { get; } = [];
    public List<ContainerVolume> Volumes { get; } = [];

    public string ImageReference => $"{Image}:{Tag}";
}
