import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { carriesEvidence, FAMILIAR_PERCENTILE, labelCentroids, nearestCentroidSimilarity } from '../../src/lib/text-classifier/familiarity';
import { deserializeModel, knowsAnyWord, serializeModel } from '../../src/lib/text-classifier/model';
import { trainClassifier } from '../../src/lib/text-classifier/train';
import { localEmbedder } from '../../src/providers/local/semantic';
import { offTopic } from '../../eval/classifiers/off-topic.mjs';
import { intents } from '../../eval/classifiers/support-tickets.mjs';

// A classifier trained on support tickets answered off-topic text that shared only common words
// with them confidently ("I just got back from a long walk by the river" → delivery 0.70). The check
// (src/lib/text-classifier/familiarity.ts) also asks that the text's word-vector embedding be as
// close to the nearest label's examples as the examples themselves are. Off-topic texts here are
// from the dev split of eval/classifiers/off-topic.mjs (the test split is for the eval alone).
const tickets = (from: number, to: number) =>
  Object.entries(intents).flatMap(([label, texts]) => texts.slice(from, to).map((text) => ({ text, label })));

/** A small French support set (not the English word vectors' language: most of its words are unknown to them). */
const FRENCH: Record<string, string[]> = {
  facturation: ["On m'a facturé deux fois ce mois-ci", 'Pourquoi ma facture est-elle plus élevée que prévu ?', 'Ma carte bancaire a été refusée lors du paiement', "Pouvez-vous m'envoyer une facture avec la TVA ?", 'Le prélèvement a eu lieu trop tôt', 'Je veux changer la carte enregistrée pour le paiement', 'Il y a un montant inconnu sur mon relevé', "Le code promo n'a pas été appliqué à ma commande", 'Je souhaite payer par virement bancaire', 'Le prix a augmenté sans prévenir'],
  livraison: ['Où est mon colis ? Il devait arriver mardi', 'Le suivi ne bouge plus depuis une semaine', "Le livreur dit qu'il n'a pas trouvé mon adresse", "Le colis est marqué livré mais je ne l'ai pas reçu", 'Livrez-vous en Belgique ?', 'Combien de temps prend la livraison ?', 'Mon paquet est arrivé abîmé', "Puis-je changer l'adresse de livraison ?", 'Le transporteur a laissé le colis chez un voisin inconnu', "La livraison express n'est pas arrivée à temps"],
  compte: ["Je n'arrive pas à me connecter, mot de passe incorrect", "L'email de réinitialisation du mot de passe n'arrive jamais", 'Mon compte est bloqué après trop de tentatives', 'Comment changer mon adresse email de connexion ?', "Quelqu'un s'est connecté à mon compte depuis l'étranger", "Je n'ai plus accès à mon téléphone pour le code de vérification", 'Comment supprimer mon compte ?', "Mon identifiant n'est pas reconnu", 'La double authentification ne fonctionne pas', "Je veux changer mon nom d'utilisateur"],
};

async function supportClassifier() {
  const embedder = await localEmbedder(env, 'word-vectors-100k.bin');
  const examples = tickets(0, 25);
  const { model } = trainClassifier(examples, embedder.embed(examples.map((example) => example.text)));
  return { embedder, model: deserializeModel(JSON.parse(JSON.stringify(serializeModel(model)))) };
}

describe('does a text carry evidence a trained classifier was trained on (carriesEvidence)', () => {
  it('turns away off-topic text that shares only common words with the examples, and keeps in-domain tickets', async () => {
    const { embedder, model } = await supportClassifier();
    const check = (text: string) => carriesEvidence(model, text, embedder.embed([text])[0]);
    for (const text of ['The weather is lovely today', 'Happy Friday everyone!', 'I just got back from a long walk by the river']) {
      expect(knowsAnyWord(model, text), text).toBe(true);
      expect(check(text), text).toBe(false);
    }
    // The dev split: the word check alone turned away the texts of no known word; this, many more.
    const devOffTopic = offTopic.filter((o) => o.split === 'dev').map((o) => o.text);
    const turnedAway = devOffTopic.filter((text) => !check(text)).length;
    const byWordsAlone = devOffTopic.filter((text) => !knowsAnyWord(model, text)).length;
    expect(turnedAway).toBeGreaterThanOrEqual(byWordsAlone + 15);
    expect(turnedAway).toBeGreaterThan(devOffTopic.length * 0.4);
    // Tickets 26–50 (not trained on): at most a few are turned away.
    const inDomain = tickets(25, 50).map((example) => example.text);
    const capped = inDomain.filter((text) => !check(text));
    expect(capped.length, capped.join(' | ')).toBeLessThanOrEqual(inDomain.length * 0.02);
    for (const text of ['I was charged twice this month', 'my parcel never arrived', 'please cancel my subscription']) expect(check(text), text).toBe(true);
  });

  it('sets each model its own bar: the examples themselves clear it but for about the lowest percentile', async () => {
    const { embedder, model } = await supportClassifier();
    const centroids = model.centroids!;
    expect(centroids.vectors.length).toBe(model.labels.length * embedder.dims);
    const examples = tickets(0, 25);
    const similarities = embedder.embed(examples.map((example) => example.text)).map((vector) => nearestCentroidSimilarity(centroids, vector));
    const below = similarities.filter((similarity) => similarity < centroids.minimumSimilarity).length;
    expect(below).toBeLessThanOrEqual(Math.ceil((examples.length * FAMILIAR_PERCENTILE) / 100));
    expect(centroids.minimumSimilarity).toBeGreaterThan(0);
    expect(centroids.minimumSimilarity).toBeLessThan(1);
  });

  it('leaves a text with no dense vector to the word check, and has no centroids without dense vectors', async () => {
    const { model } = await supportClassifier();
    const zero = new Float32Array(model.denseDims);
    expect(carriesEvidence(model, 'my parcel never arrived', zero)).toBe(true);
    expect(carriesEvidence(model, 'asdfgh qwerty', zero)).toBe(false);
    expect(labelCentroids([], [], 2)).toBeUndefined();
    expect(labelCentroids([new Float32Array(3), new Float32Array(3)], [0, 1], 2)).toBeUndefined();
    expect(trainClassifier(tickets(0, 5)).model.centroids).toBeUndefined();
  });

  it('keeps a French-trained classifier answering French tickets (its bar is its own, not English tickets\')', async () => {
    const embedder = await localEmbedder(env, 'word-vectors-100k.bin');
    const examples = Object.entries(FRENCH).flatMap(([label, texts]) => texts.map((text) => ({ text, label })));
    const { model } = trainClassifier(examples, embedder.embed(examples.map((example) => example.text)));
    const tickets = ["J'ai été débité deux fois pour la même commande", "Mon colis n'est toujours pas arrivé", 'Impossible de me connecter à mon compte', 'La facture indique un mauvais montant', 'Le suivi de mon paquet indique une erreur', "J'ai oublié mon mot de passe", 'Le paiement a échoué trois fois'];
    for (const text of tickets) expect(carriesEvidence(model, text, embedder.embed([text])[0]), text).toBe(true);
  });

  it('answers as before for a model stored before centroids were recorded', async () => {
    const { embedder, model } = await supportClassifier();
    const { centroids: _recorded, ...older } = serializeModel(model);
    const restored = deserializeModel(older);
    expect(restored.centroids).toBeUndefined();
    for (const text of ['The weather is lovely today', 'asdfgh qwerty', 'my parcel never arrived']) {
      expect(carriesEvidence(restored, text, embedder.embed([text])[0]), text).toBe(knowsAnyWord(restored, text));
    }
  });
});
