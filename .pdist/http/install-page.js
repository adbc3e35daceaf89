"use strict";
/**
 * The page `POST /install` answers. For an app with a UI, Bitrix24 shows it in the installer
 * frame and the installation is complete only once it calls `BX24.installFinish()`; a script-only
 * app's callback is a server-to-server POST where the page is simply ignored.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.installPage = installPage;
const TEXT = {
    installed: 'The bot is installed. You can close this window and attach the bot to an open line (Contact Center → Open Channels → line settings → chatbot).',
    refused: 'Installation refused: Bitrix24 did not accept the credentials of this request. Please reinstall the application.',
    failed: 'Installation failed while registering the bot. Please try again in a minute; the server log has the details.',
};
/**
 * Renders the installation page (static text only: nothing from the request is echoed).
 *
 * @example
 * res.status(200).type('html').send(installPage({ status: 'installed', ui: true }));
 */
function installPage(options) {
    const finish = options.ui && options.status === 'installed'
        ? '<script src="https://api.bitrix24.com/api/v1/"></script>\n<script>BX24.init(function () { BX24.installFinish(); });</script>\n'
        : '';
    return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>openlines-bot</title></head>
<body>
<p>${TEXT[options.status]}</p>
${finish}</body>
</html>
`;
}
