/**
 * Multi-label public suffixes under which anyone can register a name, so that
 * `https://*.<suffix>` would allow origins run by strangers. Every single-label suffix
 * (`com`, `uk`, `dev`…) is refused by rule; this list adds the common registry and hosting
 * suffixes with two or more labels. It is a curated subset of the Public Suffix List, kept
 * small on purpose (no runtime dependency); a suffix missing here is still the user's
 * responsibility, and the README says so.
 */
export const MULTI_LABEL_PUBLIC_SUFFIXES: ReadonlySet<string> = new Set([
  // Country-code second levels
  'co.uk', 'org.uk', 'me.uk', 'ltd.uk', 'plc.uk', 'net.uk', 'ac.uk', 'gov.uk', 'sch.uk', 'nhs.uk',
  'com.au', 'net.au', 'org.au', 'edu.au', 'gov.au', 'id.au', 'asn.au',
  'co.nz', 'org.nz', 'net.nz', 'ac.nz', 'govt.nz', 'geek.nz',
  'co.jp', 'ne.jp', 'or.jp', 'ac.jp', 'go.jp', 'gr.jp', 'ed.jp', 'lg.jp',
  'co.kr', 'or.kr', 'ne.kr', 'go.kr', 're.kr', 'ac.kr',
  'com.br', 'net.br', 'org.br', 'gov.br', 'edu.br',
  'com.cn', 'net.cn', 'org.cn', 'gov.cn', 'edu.cn', 'ac.cn',
  'com.hk', 'org.hk', 'net.hk', 'edu.hk', 'gov.hk',
  'com.tw', 'org.tw', 'net.tw', 'edu.tw', 'gov.tw', 'idv.tw',
  'com.sg', 'org.sg', 'net.sg', 'edu.sg', 'gov.sg',
  'co.in', 'net.in', 'org.in', 'firm.in', 'gen.in', 'ind.in', 'ac.in', 'gov.in',
  'com.mx', 'org.mx', 'gob.mx', 'edu.mx', 'com.ar', 'org.ar', 'gob.ar', 'com.co', 'com.pe', 'com.ve',
  'co.za', 'org.za', 'gov.za', 'ac.za', 'co.il', 'org.il', 'ac.il', 'gov.il',
  'com.tr', 'org.tr', 'net.tr', 'gov.tr', 'edu.tr', 'com.ua', 'org.ua', 'net.ua', 'co.ua',
  'com.pl', 'net.pl', 'org.pl', 'com.ru', 'org.ru', 'net.ru', 'co.id', 'or.id', 'ac.id', 'go.id',
  'com.my', 'org.my', 'com.ph', 'com.vn', 'com.pk', 'com.eg', 'com.sa', 'com.ng', 'co.ke', 'co.th', 'in.th',
  'gv.at', 'co.at', 'or.at', 'ac.at', 'com.es', 'org.es', 'nom.es', 'com.pt', 'com.gr', 'co.it',
  // Hosting platforms where any customer gets a subdomain
  'github.io', 'githubusercontent.com', 'gitlab.io', 'herokuapp.com', 'herokussl.com',
  'vercel.app', 'now.sh', 'netlify.app', 'netlify.com', 'pages.dev', 'workers.dev', 'web.app', 'firebaseapp.com',
  'appspot.com', 'cloudfunctions.net', 'run.app', 'azurewebsites.net', 'azurestaticapps.net', 'cloudapp.net',
  'cloudfront.net', 'amazonaws.com', 'elasticbeanstalk.com', 's3.amazonaws.com', 'blogspot.com', 'wordpress.com',
  'glitch.me', 'repl.co', 'replit.dev', 'onrender.com', 'fly.dev', 'railway.app', 'deno.dev', 'surge.sh',
  'ngrok.io', 'ngrok-free.app', 'ngrok.app', 'trycloudflare.com', 'loca.lt', 'localtunnel.me', 'codesandbox.io',
  'csb.app', 'stackblitz.io', 'webcontainer.io', 'bitbucket.io', 'readthedocs.io', 'shopify.com', 'myshopify.com',
  'digitaloceanspaces.com', 'ondigitalocean.app', 'r2.dev', 'supabase.co', 'nip.io', 'sslip.io', 'xip.io',
]);
