"""Evaluation on the user's own documents: retrieval (MRR, nDCG, recall) and answers
(ROUGE-L, BLEU, citation accuracy, abstention, speed), saved in the store to compare runs."""
