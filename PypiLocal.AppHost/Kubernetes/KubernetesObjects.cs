namespace PypiLocal.AppHost.Kubernetes;

/// <summary>
/// The Kubernetes objects, as plain dictionaries for the YAML writer, with Aspire 13's names and labels
/// (<c>&lt;resource&gt;-deployment</c>, <c>-statefulset</c>, <c>-service</c>; <c>app.kubernetes.io/component</c>).
/// </summary>
internal static class KubernetesObjects
{
    public const string AppName = "pypilocal";
    public const string ApiImage = "pypilocal-api";
    public const string AccountsDirectory = "/etc/pypilocal";

    /// <summary>$APP_UID, the non-root "app" user of the .NET images.</summary>
    private const int AppUser = 1654;

    private static readonly string[] ReadWriteOnce = ["ReadWriteOnce"];

    public static Dictionary<string, string> Labels(string component) => new()
    {
        ["app.kubernetes.io/name"] = AppName,
        ["app.kubernetes.io/component"] = component,
        ["app.kubernetes.io/instance"] = AppName,
    };

    public static Dictionary<string, object?> Deployment(string name, int replicas, List<object> env)
    {
        var container = new Dictionary<string, object?>
        {
            ["name"] = name,
            ["image"] = $"{ApiImage}:latest",
            ["imagePullPolicy"] = "IfNotPresent",
            ["ports"] = new[] { Port("http", KubernetesValues.ProjectPort) },
            ["envFrom"] = new[] { new Dictionary<string, object?> { ["configMapRef"] = new Dictionary<string, object?> { ["name"] = $"{name}-config" } } },
            ["env"] = env,
            // Start-up gets its own budget; liveness (/alive) never restarts a pod because Redis is down; readiness
            // (/health) takes it out of the Service while storage is unreachable, and creates the bucket when missing.
            ["startupProbe"] = HttpProbe("/alive", "http", periodSeconds: 2, failureThreshold: 30),
            ["readinessProbe"] = HttpProbe("/health", "http", periodSeconds: 10, failureThreshold: 3),
            ["livenessProbe"] = HttpProbe("/alive", "http", periodSeconds: 10, failureThreshold: 6),
            ["resources"] = Resources("100m", "128Mi", "1", "512Mi", ephemeralStorage: "2Gi"),
            ["securityContext"] = ContainerSecurity(readOnlyRootFilesystem: true),
            // Time for the endpoint to leave the Service before SIGTERM starts the graceful stop.
            ["lifecycle"] = new Dictionary<string, object?> { ["preStop"] = new Dictionary<string, object?> { ["sleep"] = new Dictionary<string, object?> { ["seconds"] = 5 } } },
            // Uploads are staged in /tmp: the only writable path. Accounts come from the api Secret, read-only.
            ["volumeMounts"] = new[]
            {
                new Dictionary<string, object?> { ["name"] = "tmp", ["mountPath"] = "/tmp" },
                new Dictionary<string, object?> { ["name"] = "accounts", ["mountPath"] = AccountsDirectory, ["readOnly"] = true },
            },
        };
        return Workload("Deployment", $"{name}-deployment", name, new Dictionary<string, object?>
        {
            ["replicas"] = replicas,
            ["selector"] = new Dictionary<string, object?> { ["matchLabels"] = Labels(name) },
            ["strategy"] = new Dictionary<string, object?>
            {
                ["type"] = "RollingUpdate",
                ["rollingUpdate"] = new Dictionary<string, object?> { ["maxUnavailable"] = 0, ["maxSurge"] = 1 },
            },
        }, new Dictionary<string, object?>
        {
            ["automountServiceAccountToken"] = false,
            ["terminationGracePeriodSeconds"] = 60,
            ["securityContext"] = PodSecurity(AppUser),
            ["containers"] = new[] { container },
            ["volumes"] = new[]
            {
                new Dictionary<string, object?> { ["name"] = "tmp", ["emptyDir"] = new Dictionary<string, object?> { ["sizeLimit"] = UploadStaging.SizeLimit } },
                new Dictionary<string, object?> { ["name"] = "accounts", ["secret"] = new Dictionary<string, object?> { ["secretName"] = $"{name}-secrets" } },
            },
        });
    }

    /// <summary>A backing container (Redis, MinIO): one pod with stable storage.</summary>
    public static Dictionary<string, object?> StatefulSet(ContainerShape shape)
    {
        var container = new Dictionary<string, object?>
        {
            ["name"] = shape.Name,
            ["image"] = shape.Image,
            ["imagePullPolicy"] = "IfNotPresent",
        };
        if (shape.Entrypoint is not null)
        {
            container["command"] = new[] { shape.Entrypoint };
        }

        container["args"] = shape.Args;
        container["ports"] = shape.Ports.Select(p => Port(p.Name, p.Port)).ToList();
        if (shape.HasConfig)
        {
            container["envFrom"] = new[] { new Dictionary<string, object?> { ["configMapRef"] = new Dictionary<string, object?> { ["name"] = $"{shape.Name}-config" } } };
        }

        container["env"] = shape.Env;
        container["readinessProbe"] = shape.HttpHealthPath is { } ready
            ? HttpProbe(ready, shape.Ports[0].Name, periodSeconds: 5, failureThreshold: 3)
            : TcpProbe(shape.Ports[0].Name, periodSeconds: 5, failureThreshold: 3);
        container["livenessProbe"] = shape.HttpHealthPath is { } live
            ? HttpProbe(live, shape.Ports[0].Name, periodSeconds: 10, failureThreshold: 6)
            : TcpProbe(shape.Ports[0].Name, periodSeconds: 10, failureThreshold: 6);
        container["resources"] = Resources("100m", "128Mi", "1", "1Gi");
        container["securityContext"] = ContainerSecurity(readOnlyRootFilesystem: true);

        // Every path the server writes is a volume: the modelled ones claim storage, /data without one (Redis
        // persists nothing that matters, but writes its dump there) and /tmp are scratch.
        var volumes = shape.Volumes.Select(v => (v.Name, v.Target, Claim: true)).ToList();
        if (volumes.All(v => v.Target != "/data"))
        {
            volumes.Add(("data", "/data", false));
        }

        volumes.Add(("tmp", "/tmp", false));
        container["volumeMounts"] = volumes.Select(v => new Dictionary<string, object?> { ["name"] = v.Name, ["mountPath"] = v.Target }).ToList();

        var spec = new Dictionary<string, object?>
        {
            ["serviceName"] = $"{shape.Name}-service",
            ["replicas"] = 1,
            ["selector"] = new Dictionary<string, object?> { ["matchLabels"] = Labels(shape.Name) },
        };
        spec["volumeClaimTemplates"] = volumes.Where(v => v.Claim).Select(v => new Dictionary<string, object?>
        {
            ["metadata"] = new Dictionary<string, object?> { ["name"] = v.Name },
            ["spec"] = new Dictionary<string, object?>
            {
                ["accessModes"] = ReadWriteOnce,
                ["resources"] = new Dictionary<string, object?> { ["requests"] = new Dictionary<string, string> { ["storage"] = "20Gi" } },
            },
        }).ToList();
        return Workload("StatefulSet", $"{shape.Name}-statefulset", shape.Name, spec, new Dictionary<string, object?>
        {
            ["automountServiceAccountToken"] = false,
            // Both images run as any user that owns their volumes (fsGroup).
            ["securityContext"] = PodSecurity(1000),
            ["containers"] = new[] { container },
            ["volumes"] = volumes.Where(v => !v.Claim)
                .Select(v => new Dictionary<string, object?> { ["name"] = v.Name, ["emptyDir"] = new Dictionary<string, object?>() })
                .ToList(),
        });
    }

    public static Dictionary<string, object?> Service(string resource, IEnumerable<(string Name, int Port)> ports) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = Metadata($"{resource}-service", resource),
        ["spec"] = new Dictionary<string, object?>
        {
            ["type"] = "ClusterIP",
            ["selector"] = Labels(resource),
            ["ports"] = ports.Select(p => new Dictionary<string, object?> { ["name"] = p.Name, ["port"] = p.Port, ["targetPort"] = p.Name, ["protocol"] = "TCP" }).ToList(),
        },
    };

    /// <summary>The public entry: the index, and the object store that presigned download URLs point at.</summary>
    public static Dictionary<string, object?> Ingress(string api, string? storage, string host, string storageHost)
    {
        var rules = new List<object> { IngressRule(host, $"{api}-service") };
        var hosts = new List<string> { host };
        if (storage is not null)
        {
            rules.Add(IngressRule(storageHost, $"{storage}-service"));
            hosts.Add(storageHost);
        }

        var metadata = Metadata($"{api}-ingress", api);
        metadata["annotations"] = new Dictionary<string, string>
        {
            // ingress-nginx: no body limit (the api enforces its own) and time for long uploads.
            ["nginx.ingress.kubernetes.io/proxy-body-size"] = "0",
            ["nginx.ingress.kubernetes.io/proxy-read-timeout"] = "600",
            ["nginx.ingress.kubernetes.io/proxy-send-timeout"] = "600",
        };
        return new()
        {
            ["apiVersion"] = "networking.k8s.io/v1",
            ["kind"] = "Ingress",
            ["metadata"] = metadata,
            ["spec"] = new Dictionary<string, object?>
            {
                // The certificate's Secret is the operator's (or cert-manager's): none is generated here.
                ["tls"] = new[] { new Dictionary<string, object?> { ["hosts"] = hosts, ["secretName"] = $"{api}-tls" } },
                ["rules"] = rules,
            },
        };
    }

    public static Dictionary<string, object?> HorizontalPodAutoscaler(string name, int replicas) => new()
    {
        ["apiVersion"] = "autoscaling/v2",
        ["kind"] = "HorizontalPodAutoscaler",
        ["metadata"] = Metadata($"{name}-hpa", name),
        ["spec"] = new Dictionary<string, object?>
        {
            ["scaleTargetRef"] = new Dictionary<string, object?> { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = $"{name}-deployment" },
            ["minReplicas"] = replicas,
            ["maxReplicas"] = Math.Max(10, replicas * 3),
            ["metrics"] = new[]
            {
                new Dictionary<string, object?>
                {
                    ["type"] = "Resource",
                    ["resource"] = new Dictionary<string, object?>
                    {
                        ["name"] = "cpu",
                        ["target"] = new Dictionary<string, object?> { ["type"] = "Utilization", ["averageUtilization"] = 70 },
                    },
                },
            },
        },
    };

    public static Dictionary<string, object?> PodDisruptionBudget(string name) => new()
    {
        ["apiVersion"] = "policy/v1",
        ["kind"] = "PodDisruptionBudget",
        ["metadata"] = Metadata($"{name}-pdb", name),
        ["spec"] = new Dictionary<string, object?>
        {
            ["maxUnavailable"] = 1,
            ["selector"] = new Dictionary<string, object?> { ["matchLabels"] = Labels(name) },
        },
    };

    private static Dictionary<string, object?> Workload(string kind, string name, string component, Dictionary<string, object?> spec, Dictionary<string, object?> podSpec)
    {
        spec["template"] = new Dictionary<string, object?>
        {
            ["metadata"] = new Dictionary<string, object?> { ["labels"] = Labels(component) },
            ["spec"] = podSpec,
        };
        return new()
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = kind,
            ["metadata"] = Metadata(name, component),
            ["spec"] = spec,
        };
    }

    private static Dictionary<string, object?> Metadata(string name, string component) => new()
    {
        ["name"] = name,
        ["labels"] = Labels(component),
    };

    private static Dictionary<string, object?> IngressRule(string host, string service) => new()
    {
        ["host"] = host,
        ["http"] = new Dictionary<string, object?>
        {
            ["paths"] = new[]
            {
                new Dictionary<string, object?>
                {
                    ["path"] = "/",
                    ["pathType"] = "Prefix",
                    ["backend"] = new Dictionary<string, object?>
                    {
                        ["service"] = new Dictionary<string, object?> { ["name"] = service, ["port"] = new Dictionary<string, object?> { ["name"] = "http" } },
                    },
                },
            },
        },
    };

    private static Dictionary<string, object?> Port(string name, int port) => new() { ["name"] = name, ["containerPort"] = port, ["protocol"] = "TCP" };

    private static Dictionary<string, object?> Resources(string cpu, string memory, string cpuLimit, string memoryLimit, string? ephemeralStorage = null)
    {
        var limits = new Dictionary<string, string> { ["cpu"] = cpuLimit, ["memory"] = memoryLimit };
        if (ephemeralStorage is not null)
        {
            limits["ephemeral-storage"] = ephemeralStorage;
        }

        return new()
        {
            ["requests"] = new Dictionary<string, string> { ["cpu"] = cpu, ["memory"] = memory },
            ["limits"] = limits,
        };
    }

    private static Dictionary<string, object?> HttpProbe(string path, string port, int periodSeconds, int failureThreshold) => new()
    {
        ["httpGet"] = new Dictionary<string, object?> { ["path"] = path, ["port"] = port },
        ["periodSeconds"] = periodSeconds,
        ["timeoutSeconds"] = 3,
        ["failureThreshold"] = failureThreshold,
    };

    private static Dictionary<string, object?> TcpProbe(string port, int periodSeconds, int failureThreshold) => new()
    {
        ["tcpSocket"] = new Dictionary<string, object?> { ["port"] = port },
        ["periodSeconds"] = periodSeconds,
        ["timeoutSeconds"] = 3,
        ["failureThreshold"] = failureThreshold,
    };

    private static Dictionary<string, object?> PodSecurity(int user) => new()
    {
        ["runAsNonRoot"] = true,
        ["runAsUser"] = user,
        ["runAsGroup"] = user,
        ["fsGroup"] = user,
        ["seccompProfile"] = new Dictionary<string, object?> { ["type"] = "RuntimeDefault" },
    };

    private static Dictionary<string, object?> ContainerSecurity(bool readOnlyRootFilesystem) => new()
    {
        ["allowPrivilegeEscalation"] = false,
        ["readOnlyRootFilesystem"] = readOnlyRootFilesystem,
        ["capabilities"] = new Dictionary<string, object?> { ["drop"] = new[] { "ALL" } },
    };
}

/// <summary>What a StatefulSet needs to know of a container resource.</summary>
internal sealed record ContainerShape(
    string Name,
    string Image,
    string? Entrypoint,
    List<string> Args,
    List<(string Name, int Port)> Ports,
    List<object> Env,
    bool HasConfig,
    List<(string Name, string Target)> Volumes,
    string? HttpHealthPath);
