"""moto_server, checking every request's signature as AWS does (see MotoServer.cs).

Run with INITIAL_NO_AUTH_ACTION_COUNT=0 (every request checked) and the one access key to accept in
PYPILOCAL_MOTO_ACCESS_KEY / PYPILOCAL_MOTO_SECRET_KEY: it belongs to an IAM user with an allow-all policy,
created before the first request, so a server started again on its port accepts the same key.

moto 5.2.1 recomputes a request's SigV4 signature from the URL after Werkzeug has percent-decoded it, so a
correctly signed request whose key holds '+' or ' ', or whose query holds '/' (every listing by prefix), fails
with SignatureDoesNotMatch, boto3's own requests included; and it answers 500 to presigned URLs, which it
cannot check. Its conditional writes check If-Match/If-None-Match and then write, with no lock between, so
two writers that read the same version can both succeed, which S3 never allows. This runs moto's own server
with three changes: signatures are checked against the URL exactly as sent, presigned GETs are served
unchecked (their signing is tested against botocore in S3SignerTests), and each object write (PUT, copy,
multipart completion) runs alone, so a condition holds until the write it guards is done, as on S3.

A real store keeps its objects over a restart; moto keeps them in memory only. With PYPILOCAL_MOTO_STATE set to
a file, SIGTERM saves the buckets there (after the write in progress, if any) before the server exits, and a
start loads them back, so a test can stop the store and start it again without losing what it acknowledged.
"""
import json
import os
import pickle
import sys
import threading

from moto.core import authorization, responses
from moto import server as moto_server
from moto.server import main

_setup_class = responses.BaseResponse.setup_class
_authenticate = authorization.ActionAuthenticatorMixin._authenticate_and_authorize_action


def setup_class(self, request, full_url, headers, *args, **kwargs):
    self._raw_uri = getattr(request, "environ", {}).get("RAW_URI")
    return _setup_class(self, request, full_url, headers, *args, **kwargs)


def authenticate(self, iam_request_cls, resource="*"):
    raw = getattr(self, "_raw_uri", None)
    if raw and "X-Amz-Signature=" in raw and "Authorization" not in self.headers:
        return
    uri = self.uri
    if raw:
        self.uri = raw
    try:
        return _authenticate(self, iam_request_cls, resource)
    finally:
        self.uri = uri


def one_write_at_a_time(write):
    def locked(self, *args, **kwargs):
        with _write_lock:
            return write(self, *args, **kwargs)

    return locked


from moto.s3.responses import S3Response

_write_lock = threading.Lock()
for _name in ("put_object", "copy_object", "_key_response_post"):
    if hasattr(S3Response, _name):
        setattr(S3Response, _name, one_write_at_a_time(getattr(S3Response, _name)))

responses.BaseResponse.setup_class = setup_class
authorization.ActionAuthenticatorMixin._authenticate_and_authorize_action = authenticate

def grant_access_key(access_key, secret_key):
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.iam.models import iam_backends

    iam = iam_backends[DEFAULT_ACCOUNT_ID]["aws"]
    iam.create_user(region_name="us-east-1", user_name="pypilocal")
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    iam.put_user_policy("pypilocal", "all", json.dumps(policy))
    key = iam.create_access_key("pypilocal")
    iam.access_keys.pop(key.physical_resource_id, None)
    key.access_key_id, key.secret_access_key = access_key, secret_key
    iam.access_keys[key.physical_resource_id] = key


def s3_backend():
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends

    return s3_backends[DEFAULT_ACCOUNT_ID]["global"]


def describe(buckets):
    return ", ".join(f"{name}: {len(bucket.keys)} keys" for name, bucket in list(buckets.items())) or "no buckets"


def keep_buckets_in(path):
    if os.path.exists(path):
        from moto.s3.models import s3_backends

        with open(path, "rb") as saved:
            buckets = pickle.load(saved)
        s3_backend().buckets.update(buckets)
        # A bucket registers its name when made (FakeBucket.__init__), not when unpickled: without this, a
        # CreateBucket (each node sends one as it starts) finds the name free and answers 200 with a new, empty
        # bucket in place of the loaded one, where S3 answers 200 (us-east-1, owned by you) and keeps the objects.
        for name, bucket in buckets.items():
            s3_backends.bucket_accounts[name] = (bucket.partition, bucket.account_id)
        print(f"moto_server_checked: loaded {describe(s3_backend().buckets)} from {path}", file=sys.stderr, flush=True)

    def save_and_exit(signum, frame):
        # Writes stop here (the lock is never given back); a delete or a part upload running on another
        # thread can still change a dictionary while it is pickled, so that is tried again.
        _write_lock.acquire()
        for attempt in range(50):
            try:
                data = pickle.dumps(dict(s3_backend().buckets))
                break
            except RuntimeError:
                if attempt == 49:
                    raise
        with open(path + ".tmp", "wb") as state:
            state.write(data)
        os.replace(path + ".tmp", path)
        print(f"moto_server_checked: saved {describe(s3_backend().buckets)} to {path}", file=sys.stderr, flush=True)
        os._exit(0)

    # moto's main installs its own handler for SIGTERM and SIGINT, by this name.
    moto_server.signal_handler = save_and_exit


if __name__ == "__main__":
    grant_access_key(os.environ["PYPILOCAL_MOTO_ACCESS_KEY"], os.environ["PYPILOCAL_MOTO_SECRET_KEY"])
    if os.environ.get("PYPILOCAL_MOTO_STATE"):
        keep_buckets_in(os.environ["PYPILOCAL_MOTO_STATE"])
    main(sys.argv[1:])
