// The composer page: points the widget at the local Worker (its base URL) and offers the sample
// emails: one whose links lead to this demo's own shop page, so a click in the preview goes
// through the Worker and lands here without any network, and the ones in examples/emails.
import '/web/composer/clicktrail-composer.js';

const composer = document.getElementById('composer');
const sampleSelect = document.getElementById('sample');
const messageInput = document.getElementById('message-id');
const campaignInput = document.getElementById('campaign-id');

function localSample(origin) {
  const shop = `${origin}/shop`;
  return `<!DOCTYPE html>
<html lang="en" xmlns:v="urn:schemas-microsoft-com:vml">
<head><meta charset="utf-8"><title>Spring sale</title></head>
<body style="font-family:Arial,sans-serif;color:#1b1f24">
  <h1>Spring sale at Example Outfitters</h1>
  <p>Everything for the season is 20% off. Browse it at ${shop}/spring or visit one of our stores.</p>
  <!--[if mso]>
  <v:roundrect href="${shop}/jackets" style="height:44px;width:220px" arcsize="10%" fillcolor="#0b5fff">
    <center style="color:#fff">Shop jackets</center>
  </v:roundrect>
  <![endif]-->
  <!--[if !mso]><!-->
  <a href="${shop}/jackets" style="background:#0b5fff;color:#fff;padding:12px 20px;display:inline-block">Shop jackets</a>
  <!--<![endif]-->
  <p><a href="${shop}/lookbook"><img src="${origin}/web/demo/pages/lookbook.svg" width="200" height="80"></a></p>
  <p>Questions? <a href="mailto:help@example.com">help@example.com</a></p>
</body>
</html>
`;
}

async function main() {
  const [config, samples] = await Promise.all([
    fetch('/api/config').then((r) => r.json()),
    fetch('/api/samples').then((r) => r.json()),
  ]);
  composer.setAttribute('base-url', config.workerUrl);
  const all = [{ name: 'Local demo (links to this demo’s shop)', format: 'html', text: localSample(location.origin) }, ...samples];
  sampleSelect.innerHTML = '';
  all.forEach((sample, i) => sampleSelect.add(new Option(sample.name, String(i))));
  const load = (i) => {
    composer.setAttribute('format', all[i].format);
    composer.value = all[i].text;
  };
  sampleSelect.addEventListener('change', () => load(Number(sampleSelect.value)));
  messageInput.value = `demo-${new Date().toISOString().slice(0, 10)}-${Math.random().toString(36).slice(2, 7)}`;
  const syncFields = () => {
    composer.setAttribute('message-id', messageInput.value.trim());
    composer.setAttribute('campaign-id', campaignInput.value.trim());
  };
  messageInput.addEventListener('input', syncFields);
  campaignInput.addEventListener('input', syncFields);
  document.getElementById('settings').addEventListener('submit', (event) => event.preventDefault());
  syncFields();
  load(0);
}

main().catch((error) => {
  document.querySelector('.lede').textContent = `The demo could not start: ${error.message}`;
});
