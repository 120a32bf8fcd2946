import re
import pytest
from cepa.web.tests.conftest import in_language
from cepa.demo.registry import demo_document
from cepa.interchange.services import import_document

pytestmark = pytest.mark.django_db

def test_dump(client):
    import_document(actor="system:demo", document=demo_document(), reason="demo")
    from cepa.bodies.models import Organisation
    from cepa.certificates.models import Certificate
    urls = [f"/bodies/{o.pk}/" for o in Organisation.objects.all()] + ["/directory/", "/certificates/"] + [f"/certificates/{c.pk}/" for c in Certificate.objects.all()[:8]]
    out = []
    for lang in ("zh-hant", "zh-hans"):
        in_language(client, lang)
        for url in urls:
            html = client.get(url).content.decode()
            main = html[html.find("<main"):html.find("</main>")]
            text = re.sub(r"<[^>]+>", "\n", main)
            for line in text.splitlines():
                line = line.strip()
                if re.search(r"[A-Za-z]{3,}", line):
                    out.append(f"{lang} {url} | {line}")
    open("/tmp/i11/words.txt", "w").write("\n".join(out))
