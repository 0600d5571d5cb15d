/** The responder's services as configured: retrieval, chat provider and outbound. */
import type { Config } from '../../../platform/config.js';
import { sendMessage } from '../../channels/outbound.js';
import { offlineChat } from './offline-chat.js';
import { openAiChat } from './openai-chat.js';
import type { ResponderDeps } from './outcome.js';
import { knowledgeRetriever } from './retriever.js';

export function responderDeps(config: Config): ResponderDeps {
  const { chat } = config;
  return {
    retriever: knowledgeRetriever,
    chat:
      chat.provider === 'openai'
        ? openAiChat({
            url: chat.url ?? 'https://api.openai.com/v1',
            apiKey: chat.apiKey,
            defaultModel: chat.model ?? 'gpt-4o-mini',
          })
        : offlineChat,
    outbound: { sendMessage },
  };
}
