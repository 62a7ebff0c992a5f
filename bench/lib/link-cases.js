// Constructed emails, one per thing the real corpus lacks or has too rarely to show: where the
// link-wrapping tools are known to part ways. Written for this benchmark; each is small, so
// they are only compared (wrapped targets), never timed.
export const LINK_CASES = [
  {
    name: 'vml-button',
    what: "Outlook's bulletproof button: a VML <v:roundrect href> in <!--[if mso]>, the HTML <a> for everyone else",
    html: `<div><!--[if mso]><v:roundrect xmlns:v="urn:schemas-microsoft-com:vml" href="https://shop.example.com/buy" style="height:40px;width:200px" arcsize="10%" fillcolor="#1e3650"><center>Buy now</center></v:roundrect><![endif]--><!--[if !mso]><!-- --><a href="https://shop.example.com/buy" style="background:#1e3650">Buy now</a><!--<![endif]--></div>`,
  },
  {
    name: 'mso-only-link',
    what: 'a link only Outlook sees, inside <!--[if mso]>',
    html: `<p>Hello</p><!--[if mso]><table><tr><td><a href="https://shop.example.com/outlook">View in browser</a></td></tr></table><![endif]-->`,
  },
  {
    name: 'unquoted-href',
    what: 'an unquoted href',
    html: `<p><a href=https://shop.example.com/unquoted>Shop</a></p>`,
  },
  {
    name: 'single-quoted',
    what: "a single-quoted href with spaces around '='",
    html: `<p><a class='btn' href = 'https://shop.example.com/single'>Shop</a></p>`,
  },
  {
    name: 'references',
    what: 'character references other than &amp; in an href',
    html: `<p><a href="https://shop.example.com/?a=1&amp;b=2&#38;c=3&#x26;d=4">Shop</a></p>`,
  },
  {
    name: 'commented-out',
    what: 'a link in an ordinary comment',
    html: `<p>Hi</p><!-- old footer: <a href="https://shop.example.com/old">Old</a> -->`,
  },
  {
    name: 'script',
    what: 'markup inside <script>',
    html: `<script>document.write('<a href="https://shop.example.com/js">x</a>')</script><p>Hi</p>`,
  },
  {
    name: 'title',
    what: 'a URL in <title> (never a link)',
    html: `<html><head><title>Sale at https://shop.example.com/title</title></head><body><p>Hi</p></body></html>`,
  },
  {
    name: 'plain-urls',
    what: 'plain-text URLs with punctuation, brackets and www.',
    html: `<p>See https://shop.example.com/a/b. Or (https://shop.example.com/c?x=1&amp;y=2), or www.shop.example.com/d!</p>`,
  },
  {
    name: 'anchor-text-url',
    what: 'a URL as the text of a link (must not become a link in a link)',
    html: `<p><a href="https://shop.example.com/e">https://shop.example.com/e</a></p>`,
  },
  {
    name: 'template-tag',
    what: 'a merge tag in the URL (a signed URL would break the merge)',
    html: `<p><a href="https://shop.example.com/u?id={{user_id}}">Profile</a></p>`,
  },
  {
    name: 'area-and-svg',
    what: '<area> in an image map and <a> inside inline SVG',
    html: `<map name="m"><area shape="rect" coords="0,0,10,10" href="https://shop.example.com/area"></map><svg><a href="https://shop.example.com/svg"><text>x</text></a></svg>`,
  },
];
